// Typed Tailscale failures: HTTP status and Tailscale's `{message}`; never headers or tokens.
import { OutpostError, type ErrorCode } from '../../../shared/errors';

export function outpostCodeForStatus(status: number): ErrorCode {
  if (status === 0) return 'unavailable';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 429) return 'rate_limited';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'cloud_error';
}

export interface TailscaleErrorInit {
  /** 0 when no response arrived. */
  status: number;
  message: string;
  method: string;
  path: string;
  attempts: number;
  code?: ErrorCode;
  /** Extra structured data Tailscale sent (e.g. ACL test `data`). */
  data?: unknown;
}

/** The OAuth scope a call needs (reference tailscale-api.md §1.3); null when the path says nothing. */
export function scopeFor(method: string, path: string): { scope: string; for: string } | null {
  const write = method !== 'GET';
  if (/^\/tailnet\/[^/]+\/keys(\/|$)/.test(path)) return { scope: write ? 'auth_keys' : 'auth_keys:read', for: write ? 'mint and revoke auth keys' : 'read auth keys' };
  if (/^\/tailnet\/[^/]+\/devices(\/|$)/.test(path) || /^\/device\//.test(path)) {
    return { scope: write ? 'devices:core' : 'devices:core:read', for: write ? 'remove devices' : 'see devices' };
  }
  return null;
}

/**
 * A 403 is not a bad secret (that is a 401): the OAuth client works but may not do this. Says which
 * scope is missing, and that a client with it must carry Outpost's tags.
 */
export function forbiddenHint(method: string, path: string): string {
  const needed = scopeFor(method, path);
  const missing = needed ? `The Tailscale OAuth client lacks the ${needed.scope} scope (needed to ${needed.for}).` : 'The Tailscale OAuth client lacks a scope this call needs.';
  return `${missing} In the Tailscale admin console (Settings → Trust credentials), create an OAuth client with the scopes auth_keys and devices:core and exactly the tags in Outpost's Settings → Tailscale tags (e.g. tag:outpost), then store it in Settings → Tokens.`;
}

export class TailscaleError extends OutpostError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly data: unknown;

  constructor(init: TailscaleErrorInit) {
    super(init.code ?? outpostCodeForStatus(init.status), `tailscale: ${init.message}${init.status ? ` (HTTP ${init.status})` : ''}`, {
      apiCode: init.status ? `http_${init.status}` : undefined,
      ...(init.status === 403 ? { hint: forbiddenHint(init.method, init.path) } : {}),
    });
    this.name = 'TailscaleError';
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.data = init.data;
  }
}
