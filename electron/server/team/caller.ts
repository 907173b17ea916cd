// Who is calling the team server's API: a browser with a session cookie, or a script with an API token
// (`Authorization: Bearer outpost_pat_…`). The checks a browser's request must pass besides the cookie
// are here too, so every route applies the same ones.
import type { IncomingMessage } from 'node:http';
import { OutpostError } from '../../../shared/errors';
import type { AuthenticatedSession, AuthenticatedToken, TeamPrincipal, UserService } from '../../core/auth/users';
import { readSessionCookie } from './cookies';

export type Caller =
  | { via: 'session'; session: AuthenticatedSession; cookie: string }
  | { via: 'api'; token: AuthenticatedToken; bearer: string };

export const CSRF_HEADER = 'x-outpost-csrf';

export const principalOf = (caller: Caller): TeamPrincipal => (caller.via === 'session' ? caller.session.principal : caller.token.principal);

const signInFirst = () => new OutpostError('unauthorized', 'Sign in first.', { hint: 'Open the team server\'s address and sign in, or send Authorization: Bearer <API token>.' });

/**
 * The caller, or unauthorized. A request with an Authorization header is judged by it alone — a bad
 * token is refused, never retried with the cookie — so a script learns at once that its token is wrong.
 */
export async function identify(req: IncomingMessage, users: UserService): Promise<Caller> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    if (!match) throw new OutpostError('unauthorized', 'The Authorization header must be "Bearer <API token>".', { hint: 'outpost users token NAME --label L prints a token.' });
    return { via: 'api', token: await users.authenticateApiToken(match[1]!), bearer: match[1]! };
  }
  const cookie = readSessionCookie(req);
  if (cookie === null) throw signInFirst();
  return { via: 'session', session: await users.authenticateSession(cookie), cookie };
}

/**
 * A browser request's Origin: when present (or `required`, as for every POST made with a cookie), it
 * must be the server's public origin — a page elsewhere cannot send ours. With the CSRF token in
 * X-Outpost-CSRF (a page elsewhere cannot read it) this guards every state change made with a cookie;
 * requests with an API token need neither (no browser attaches a bearer token by itself).
 */
export function checkOrigin(req: IncomingMessage, publicOrigin: string, required: boolean): void {
  const origin = req.headers.origin;
  if (origin === undefined && !required) return;
  if (typeof origin !== 'string' || origin.toLowerCase() !== publicOrigin) {
    throw new OutpostError('forbidden', 'Cross-origin requests are refused.', {
      hint: origin === undefined ? 'A browser request must carry an Origin header; scripts use an API token.' : 'Open the panel at the team server\'s own address.',
    });
  }
}

/** `Sec-Fetch-Site` from a modern browser flags requests another site (or a sibling subdomain) started. */
export function checkFetchSite(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return;
  throw new OutpostError('forbidden', 'Cross-site requests are refused.', { hint: 'Open the panel at the team server\'s own address.' });
}
