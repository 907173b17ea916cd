// The session cookie. `__Host-` makes the browser refuse it unless it is Secure, has Path=/ and no
// Domain, so neither a sibling subdomain nor a plain-HTTP page can set or shadow it; HttpOnly keeps it
// from page scripts (an injected script cannot read it out); SameSite=Strict keeps it off every request
// another site starts, which is the first of the CSRF defences (the header token and Origin check follow).
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = '__Host-outpost_session';

const ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Strict';

/** The Set-Cookie value for a new session, expiring with the session's absolute end. */
export function sessionCookie(token: string, expiresAt: string, now: number): string {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  return `${SESSION_COOKIE}=${token}; ${ATTRIBUTES}; Max-Age=${maxAge}`;
}

/** The Set-Cookie value that removes it (sign-out, or a cookie the server no longer knows). */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;

/** The session cookie's value as the browser sent it, or null. The first one counts: a browser sends the most specific first. */
export function readSessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}
