import { createHash, randomBytes } from 'node:crypto';
import { type Reply, type Request, json } from '../http';
import type { AccessTokenRecord } from '../model';
import type { World } from '../world';
import { NOT_PERMITTED, TailscaleError } from './context';

export const DEFAULT_SCOPES = ['auth_keys', 'devices:core'];
export const secretText = (n: number) => randomBytes(n).toString('base64url').replace(/[-_]/g, '').padEnd(n, '0').slice(0, n);
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function basicCredentials(req: Request): { user: string; password: string } | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { user: decoded, password: '' } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * `POST /api/v2/oauth/token`: client credentials from form fields or HTTP Basic; `grant_type` is
 * not required. The secret alone identifies the client (the CLI sends a dummy client_id).
 * Requested `scope`/`tags` do not narrow anything, as observed upstream.
 */
export function issueToken(world: World, req: Request): Reply {
  if (req.method !== 'POST') throw new TailscaleError(405, 'method not allowed');
  const form = new URLSearchParams(req.body);
  const basic = basicCredentials(req);
  const secret = form.get('client_secret') ?? basic?.password ?? '';
  const { credentials } = world.state;
  if (secret === '' || secret !== credentials.tailscaleClientSecret) throw new TailscaleError(401, 'API token invalid');

  const now = world.now();
  world.state.tokens = world.state.tokens.filter((t) => t.expiresAt > now);
  // Tokens come from the request stream and crypto: how often a client logs in must not shift the
  // seeded world, and a bearer secret should never be predictable, even in a sandbox.
  const [min, max] = world.profile.tokenLifetime;
  const lifetimeMs = world.clock.scaleMs(world.requestRng.between(min, max));
  const id = `k${world.requestRng.alnum(9)}CNTRL`;
  const token = `tskey-api-${id}-${secretText(32)}`;
  const record: AccessTokenRecord = {
    tokenHash: hashSecret(token),
    id,
    clientId: credentials.tailscaleClientId,
    scopes: [...DEFAULT_SCOPES],
    tags: [...credentials.tailscaleTags],
    expiresAt: now + lifetimeMs,
  };
  world.state.tokens.push(record);
  world.changed();
  return json(200, {
    access_token: token,
    token_type: 'Bearer',
    expires_in: Math.max(1, Math.round(lifetimeMs / 1000)),
    scope: record.scopes.join(' '),
    tags: record.tags.join(','),
  });
}

/** Bearer, or Basic with the token as user name and an empty password. */
export function authenticate(world: World, req: Request): AccessTokenRecord {
  const header = req.headers.authorization;
  let presented: string | null = null;
  if (typeof header === 'string') {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    presented = bearer ? (bearer[1] as string) : (basicCredentials(req)?.user ?? null);
  }
  if (presented === null || presented === '') throw new TailscaleError(401, 'API token invalid');
  // A client secret used directly as a token is a classic mistake (tailscale#15969).
  if (presented === world.state.credentials.tailscaleClientSecret) throw new TailscaleError(403, NOT_PERMITTED);
  const hash = hashSecret(presented);
  const record = world.state.tokens.find((t) => t.tokenHash === hash);
  if (!record || record.expiresAt <= world.now()) throw new TailscaleError(401, 'API token invalid');
  return record;
}
