// The team server's auth/ API, used by the sign-in and link pages (pages.ts) and by the panel:
//   GET  auth/session   who am I: the user, their role and — for a browser — the session's CSRF token
//   POST auth/signin    {name, password} → the session cookie; rate-limited per address and per name
//   POST auth/invite    {token, password} → sets the password with a one-time link, then signs in
//   POST auth/signout   ends the session and clears the cookie
// Every POST here comes from a page of ours: JSON only, and an Origin that is the public origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OutpostError } from '../../../shared/errors';
import { SIGN_IN_LIMITS, SignInRateLimited, type SignInThrottle } from '../../core/auth/rate-limit';
import type { NewSession, UserService } from '../../core/auth/users';
import type { Logger } from '../../core/log';
import type { Clock } from '../../core/ports';
import { readJsonRequest } from '../json-request';
import { envelope, sendJson } from '../respond';
import { sendError } from './answer';
import { checkFetchSite, checkOrigin, CSRF_HEADER, identify } from './caller';
import { CLEARED_SESSION_COOKIE, readSessionCookie, sessionCookie } from './cookies';

export interface AuthContext {
  users: UserService;
  throttle: SignInThrottle;
  publicOrigin: string;
  clock: Clock;
  log: Logger;
  /** The client's address (behind a trusted proxy, the one it forwarded for). */
  clientAddress(req: IncomingMessage): string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const field = (body: unknown, name: string): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined);

function sendSession(res: ServerResponse, session: NewSession, now: number): void {
  sendJson(
    res,
    200,
    { ok: true, data: { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt } },
    { 'Set-Cookie': sessionCookie(session.sessionToken, session.expiresAt, now) },
  );
}

/** Seconds until a rate-limited sign-in may be tried again, for Retry-After (the whole window when unknown: never too early). */
export function retryAfterSeconds(err: OutpostError): number {
  return err instanceof SignInRateLimited ? Math.ceil(err.retryAfterMs / 1000) : Math.ceil(SIGN_IN_LIMITS.perNameAndAddress.windowMs / 1000);
}

/** Answers a request under auth/; `route` is the path after `auth/`. */
export async function serveAuth(req: IncomingMessage, res: ServerResponse, route: string, ctx: AuthContext): Promise<void> {
  const method = req.method ?? 'GET';
  const expected = route === 'session' ? 'GET' : 'POST';
  if (!['session', 'signin', 'invite', 'signout'].includes(route)) return sendJson(res, 404, envelope('not_found', 'Not found.'));
  if (method !== expected) return sendJson(res, 405, envelope('invalid_input', `Use ${expected} for auth/${route}.`), { Allow: expected });
  try {
    checkFetchSite(req);
    checkOrigin(req, ctx.publicOrigin, expected === 'POST');
  } catch (err) {
    return sendError(res, err, ctx.log);
  }
  if (route === 'session') return session(req, res, ctx);
  const body = await readJsonRequest(req, res);
  if (!body) return;
  if (route === 'signin') return signIn(req, res, body.value, ctx);
  if (route === 'invite') return acceptInvite(res, body.value, ctx);
  return signOut(req, res, ctx);
}

async function session(req: IncomingMessage, res: ServerResponse, ctx: AuthContext): Promise<void> {
  try {
    const caller = await identify(req, ctx.users);
    const data =
      caller.via === 'session'
        ? { via: 'session', user: caller.session.user, csrfToken: caller.session.csrfToken, expiresAt: caller.session.expiresAt }
        : { via: 'api', user: caller.token.user, tokenName: caller.token.tokenName };
    sendJson(res, 200, { ok: true, data });
  } catch (err) {
    // A cookie the server no longer honours is dropped from the browser too.
    sendError(res, err, ctx.log, readSessionCookie(req) !== null && req.headers.authorization === undefined ? { 'Set-Cookie': CLEARED_SESSION_COOKIE } : {});
  }
}

async function signIn(req: IncomingMessage, res: ServerResponse, body: unknown, ctx: AuthContext): Promise<void> {
  const name = text(field(body, 'name'));
  const password = text(field(body, 'password'));
  const address = ctx.clientAddress(req);
  try {
    const created = await ctx.throttle.attempt(name, address, () => ctx.users.signIn(name, password));
    ctx.log.info('team sign-in', { user: created.user.name, address });
    sendSession(res, created, ctx.clock.now());
  } catch (err) {
    // Never the name typed: a failed sign-in's "name" is sometimes a password typed in the wrong field.
    if (err instanceof OutpostError) ctx.log.warn('team sign-in refused', { code: err.code, address });
    const extra: Record<string, string> = err instanceof OutpostError && err.code === 'rate_limited' ? { 'Retry-After': String(retryAfterSeconds(err)) } : {};
    sendError(res, err, ctx.log, extra);
  }
}

async function acceptInvite(res: ServerResponse, body: unknown, ctx: AuthContext): Promise<void> {
  const password = text(field(body, 'password'));
  try {
    const { user } = await ctx.users.acceptInvite(text(field(body, 'token')), password);
    ctx.log.info('team sign-in link used', { user: user.name });
    sendSession(res, await ctx.users.signIn(user.name, password), ctx.clock.now());
  } catch (err) {
    sendError(res, err, ctx.log);
  }
}

async function signOut(req: IncomingMessage, res: ServerResponse, ctx: AuthContext): Promise<void> {
  const cookie = readSessionCookie(req);
  const cleared = { 'Set-Cookie': CLEARED_SESSION_COOKIE };
  if (cookie === null) return sendJson(res, 200, { ok: true, data: null }, cleared);
  let current;
  try {
    current = await ctx.users.authenticateSession(cookie);
  } catch (err) {
    // Already ended: nothing to end, and the browser may forget the cookie.
    if (err instanceof OutpostError && err.code === 'unauthorized') return sendJson(res, 200, { ok: true, data: null }, cleared);
    return sendError(res, err, ctx.log);
  }
  try {
    ctx.users.checkCsrf(current, req.headers[CSRF_HEADER]);
    await ctx.users.signOut(cookie);
    sendJson(res, 200, { ok: true, data: null }, cleared);
  } catch (err) {
    sendError(res, err, ctx.log);
  }
}
