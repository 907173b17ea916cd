import type { Request } from '../http';
import type { World } from '../world';

export interface HetznerContext {
  world: World;
  req: Request;
  /** The token was the read-only one (only GETs get this far with it). */
  readOnly: boolean;
}

export function parseJsonBody(ctx: HetznerContext): Record<string, unknown> {
  if (ctx.req.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.req.body);
  } catch {
    throw Object.assign(new Error('invalid JSON'), { jsonError: true });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw Object.assign(new Error('body must be a JSON object'), { jsonError: true });
  return parsed as Record<string, unknown>;
}
