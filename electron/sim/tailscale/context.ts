import type { Request } from '../http';
import type { AccessTokenRecord } from '../model';
import type { World } from '../world';

export interface TailscaleContext {
  world: World;
  req: Request;
  token: AccessTokenRecord;
}

/** Tailscale's error shape is `{message}` (not RFC 6749's `{error}`), on every endpoint. */
export class TailscaleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const NOT_PERMITTED = 'calling actor does not have enough permissions to perform this function';

/** Whether granted scopes cover `needed`; write scopes include read, and legacy names still work. */
export function scopeCovers(granted: readonly string[], needed: string): boolean {
  const read = needed.endsWith(':read');
  const base = read ? needed.slice(0, -5) : needed;
  return granted.some((scope) => {
    if (scope === 'all' || scope === needed || scope === base) return true;
    if (scope === 'all:read' && read) return true;
    if (scope === 'devices') return ['devices:core', 'auth_keys'].includes(base);
    if (scope === 'devices:read') return read && base === 'devices:core';
    return false;
  });
}

export function requireScope(ctx: TailscaleContext, needed: string): void {
  if (!scopeCovers(ctx.token.scopes, needed)) throw new TailscaleError(403, NOT_PERMITTED);
}

export function requireTailnet(ctx: TailscaleContext, tailnet: string | undefined): void {
  const { id, dnsName } = ctx.world.state.tailnet;
  if (tailnet !== '-' && tailnet !== id && tailnet !== dnsName) throw new TailscaleError(404, 'tailnet not found');
}

export function parseJson(ctx: TailscaleContext): Record<string, unknown> {
  if (ctx.req.body.trim() === '') return {};
  try {
    const value = JSON.parse(ctx.req.body) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new TailscaleError(400, 'invalid JSON body');
}
