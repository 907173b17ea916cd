// Auth keys: one single-use, ephemeral, preauthorized, tagged key per VM with a short expiry
// (DESIGN §3 step 2). The secret is handed to the caller once and never logged or kept here.
import { registerSecret } from '../redact';
import { TailscaleError } from './errors';
import type { TailscaleHttp } from './http';
import type { KeyInfo, NewAuthKey } from './types';

export interface CreateAuthKeyOptions {
  /** Must equal the OAuth client's tags (or be owned by them). */
  tags: string[];
  /** Default 3600 s. Tailscale treats 0/missing as 90 days, so we always send one. */
  expirySeconds?: number;
  description?: string;
  ephemeral?: boolean;
  preauthorized?: boolean;
  reusable?: boolean;
  signal?: AbortSignal;
}

/** Tailscale allows ≤ 50 characters of letters, digits, hyphen and space. */
export function sanitizeKeyDescription(text: string): string {
  return text.replace(/[^A-Za-z0-9 -]/g, '-').slice(0, 50);
}

export class KeysApi {
  constructor(
    private readonly http: TailscaleHttp,
    private readonly tailnet = '-',
  ) {}

  async create(options: CreateAuthKeyOptions): Promise<NewAuthKey> {
    const body: Record<string, unknown> = {
      keyType: 'auth',
      capabilities: {
        devices: {
          create: {
            reusable: options.reusable ?? false,
            ephemeral: options.ephemeral ?? true,
            preauthorized: options.preauthorized ?? true,
            tags: options.tags,
          },
        },
      },
      expirySeconds: options.expirySeconds ?? 3600,
    };
    if (options.description) body.description = sanitizeKeyDescription(options.description);
    const { body: key } = await this.http.request<NewAuthKey>('POST', `/tailnet/${this.tailnet}/keys`, { json: body, signal: options.signal });
    if (!key || typeof key.id !== 'string' || typeof key.key !== 'string') {
      throw new TailscaleError({ status: 200, message: 'key creation returned no key', method: 'POST', path: '/tailnet/-/keys', attempts: 1, code: 'cloud_error' });
    }
    registerSecret(key.key); // masked in any log line, should one ever quote user-data
    return key;
  }

  /** The key without its secret; null when Tailscale does not know it (404). */
  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<KeyInfo | null> {
    try {
      const { body } = await this.http.request<KeyInfo>('GET', `/tailnet/${this.tailnet}/keys/${encodeURIComponent(id)}`, options);
      return body;
    } catch (err) {
      if (err instanceof TailscaleError && err.status === 404) return null;
      throw err;
    }
  }

  /** The tailnet's keys (without secrets); which ones a token sees depends on the token. */
  async list(options: { signal?: AbortSignal } = {}): Promise<KeyInfo[]> {
    const { body } = await this.http.request<{ keys?: KeyInfo[] }>('GET', `/tailnet/${this.tailnet}/keys`, options);
    return body?.keys ?? [];
  }

  /** Revokes the key: true when deleted now, false when it was already gone (404). */
  async delete(id: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.http.request('DELETE', `/tailnet/${this.tailnet}/keys/${encodeURIComponent(id)}`, options);
      return true;
    } catch (err) {
      if (err instanceof TailscaleError && err.status === 404) return false;
      throw err;
    }
  }
}
