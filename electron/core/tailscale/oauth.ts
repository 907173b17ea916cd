// OAuth client-credentials token cache (reference tailscale-api.md §1.2). Access tokens last an hour
// and there is no refresh token: we fetch a new one shortly before expiry. One fetch is in flight at
// a time, so twenty callers meeting an expired token cause exactly one token request.
import { registerSecret, unregisterSecret } from '../redact';
import { TailscaleError } from './errors';
import type { TailscaleTransport, TokenSource } from './http';
import type { OAuthTokenResponse } from './types';

export interface OAuthCredentials {
  clientId: string;
  clientSecret: string;
  /** Optional; Tailscale may ignore narrowing (issue #15456). */
  scopes?: string[];
  tags?: string[];
}

export interface OAuthOptions {
  /** Refresh this long before expiry; capped at a tenth of the token's lifetime. Default 5 min. */
  refreshMarginMs?: number;
}

interface Cached {
  token: string;
  expiresAt: number;
}

export class OAuthTokenSource implements TokenSource {
  private cached: Cached | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly marginMs: number;
  /** How many token requests this source has sent (tests and benchmarks read it). */
  fetches = 0;

  constructor(
    private readonly transport: TailscaleTransport,
    private readonly credentials: OAuthCredentials,
    options: OAuthOptions = {},
  ) {
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
    registerSecret(credentials.clientSecret);
  }

  token(): Promise<string> {
    const now = this.transport.clock.now();
    if (this.cached && now < this.cached.expiresAt) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  /** Milliseconds until the cached token is considered stale; 0 when there is none. */
  validForMs(): number {
    return this.cached ? Math.max(0, this.cached.expiresAt - this.transport.clock.now()) : 0;
  }

  private async fetchToken(): Promise<string> {
    const form: Record<string, string> = {
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
      grant_type: 'client_credentials',
    };
    if (this.credentials.scopes?.length) form.scope = this.credentials.scopes.join(' ');
    if (this.credentials.tags?.length) form.tags = this.credentials.tags.join(',');
    this.fetches += 1;
    // The token request is idempotent in effect (a spare token just expires), so it may retry.
    const { body } = await this.transport.send('POST', '/oauth/token', { form, idempotent: true });
    const parsed = body as Partial<OAuthTokenResponse> | undefined;
    if (!parsed || typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new TailscaleError({ status: 200, message: 'token endpoint returned no access_token', method: 'POST', path: '/oauth/token', attempts: 1, code: 'unauthorized' });
    }
    const lifetimeMs = (typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 3600) * 1000;
    const margin = Math.min(this.marginMs, lifetimeMs / 10);
    if (this.cached) unregisterSecret(this.cached.token);
    registerSecret(parsed.access_token);
    this.cached = { token: parsed.access_token, expiresAt: this.transport.clock.now() + lifetimeMs - margin };
    return parsed.access_token;
  }
}

/** A user API token (`tskey-api-…`): nothing to refresh; a 401 stays a 401. */
export class StaticTokenSource implements TokenSource {
  constructor(private readonly apiToken: string) {}
  token(): Promise<string> {
    return Promise.resolve(this.apiToken);
  }
  invalidate(): void {}
}
