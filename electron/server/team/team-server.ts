// `outpost serve`: the panel for a whole team. The same handlers, dispatch, event stream and payments
// webhook as browser mode (../web-server.ts), but the caller is a user — signed in with a session
// cookie, or a script with an API token — instead of whoever knows a URL secret, and every call is
// dispatched as that user (CallContext.principal), so the permission guard and the audit see them.
// HTTPS from certificate files, or plain HTTP on loopback behind a trusted reverse proxy (listen-plan.ts).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Channel, EventName } from '../../../shared/contract';
import type { AppInfo } from '../../../shared/domain';
import { OutpostError, type Result } from '../../../shared/errors';
import { decide } from '../../../shared/permissions';
import { WEBHOOK_PATH } from '../../../shared/webhook';
import { SignInThrottle } from '../../core/auth/rate-limit';
import type { TeamPrincipal, UserService } from '../../core/auth/users';
import type { Handlers } from '../../core/dispatch';
import { createLogger, type Logger } from '../../core/log';
import type { PaymentWebhook } from '../../core/payments/webhook/receive';
import { systemClock, type Clock } from '../../core/ports';
import { FailureLimit } from '../failure-limit';
import { envelope, sendJson } from '../respond';
import { serveRpc } from '../rpc-route';
import { SECURITY_HEADERS } from '../security-headers';
import type { SseHub } from '../sse';
import { serveStatic } from '../static-route';
import { DEFAULT_TIMEOUTS, serverTimeouts, type WebServerTimeouts } from '../timeouts';
import { serveWebhook } from '../webhook-route';
import { sendError } from './answer';
import { serveAuth, type AuthContext } from './auth-routes';
import { checkFetchSite, checkOrigin, CSRF_HEADER, identify, principalOf, type Caller } from './caller';
import { CLEARED_SESSION_COOKIE, readSessionCookie } from './cookies';
import type { ListenPlan } from './listen-plan';
import { invitePage, PAGE_ASSETS, signInPage } from './pages';
import { clientAddress, forwardedProto } from './trust-proxy';

export interface TeamServerOptions {
  handlers: Handlers;
  hub: SseHub;
  users: UserService;
  plan: ListenPlan;
  /** The built renderer (index.html + assets); when missing, the API and the sign-in pages are still served. */
  rendererDir: string;
  log?: Logger;
  timeouts?: Partial<WebServerTimeouts>;
  /** The payments webhook, served at WEBHOOK_PATH; absent (no secret configured): that path is 404. */
  webhook?: PaymentWebhook;
  /** The clock of the rate limits and cookie lifetimes (tests pass a virtual one). */
  clock?: Clock;
  /** How often an open event stream checks that its session or token still holds (default 60 s). */
  recheckMs?: number;
  /** The sign-in rate limit (default: SignInThrottle's limits on `clock`; tests pass tighter ones). */
  throttle?: SignInThrottle;
}

export interface RunningTeamServer {
  /** The public URL people open, ending in '/'. */
  url: string;
  /** Where the server itself listens, e.g. https://0.0.0.0:8443 or http://127.0.0.1:8080. */
  listening: string;
  port: number;
  webhookUrl: string | null;
  close(): Promise<void>;
}

/** The channel whose read permission an event needs: a role that may not read jobs gets no job events. */
const EVENT_READS: Record<EventName, Channel> = { 'job:progress': 'jobs:get', 'instance:changed': 'instances:get' };

/** Marks the renderer's page as a team server's, so its API client fetches the CSRF token (renderer/src/api). */
export const TEAM_MARKER = '<meta name="outpost-server" content="team" />';

const HOUR = 3_600_000;

export async function startTeamServer(options: TeamServerOptions): Promise<RunningTeamServer> {
  const { plan, users, handlers, hub } = options;
  const log = options.log ?? createLogger({ name: 'outpost-serve', level: 'info' });
  const clock = options.clock ?? systemClock;
  const throttle = options.throttle ?? new SignInThrottle(() => clock.now());
  const webhookFailures = new FailureLimit(clock, { max: 20, windowMs: 60_000 });
  let publicUrl = plan.publicUrl ?? '';
  let publicOrigin = '';
  const rendererBuilt = existsSync(options.rendererDir);
  const address = (req: IncomingMessage) => clientAddress(req, plan.trust);
  const auth: AuthContext = {
    users,
    throttle,
    clock,
    log,
    clientAddress: address,
    get publicOrigin() {
      return publicOrigin;
    },
  };

  const timeouts = serverTimeouts({ ...DEFAULT_TIMEOUTS, ...options.timeouts });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      // Never the URL or the headers: a sign-in link's path or a cookie must not reach the log.
      log.error('team server request failed', { method: req.method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      if (!res.headersSent) sendJson(res, 500, envelope('internal', 'Outpost hit an internal error.'));
      else res.end();
    });
  };
  const server: Server = plan.tls
    ? createHttpsServer({ ...timeouts, cert: plan.tls.cert, key: plan.tls.key, handshakeTimeout: timeouts.headersTimeout ?? DEFAULT_TIMEOUTS.headersMs }, onRequest)
    : createHttpServer(timeouts, onRequest);

  // Open event streams, each with how to check that its caller is still allowed (disabled users and
  // signed-out sessions lose their live feed within recheckMs, not at their next page load).
  const streams = new Map<ServerResponse, () => Promise<unknown>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
    // Signed by HMAC, not by a user: see webhook-route.ts. Counted per client behind a trusted proxy.
    if (path === WEBHOOK_PATH) return serveWebhook(req, res, options.webhook, webhookFailures, address(req));
    const proto = forwardedProto(req, plan.trust);
    if (proto !== null && proto !== 'https') {
      return sendJson(res, 403, envelope('forbidden', 'This server is served over HTTPS only.', `Open ${publicUrl}/ instead.`));
    }
    if (!path.startsWith('/')) return sendJson(res, 404, envelope('not_found', 'Not found.'));
    const route = path.slice(1);
    if (route.startsWith('auth/assets/')) return serveAsset(req, res, route.slice('auth/assets/'.length));
    if (route.startsWith('auth/')) return serveAuth(req, res, route.slice('auth/'.length), auth);
    if (route.startsWith('rpc/') || route === 'events') {
      let caller: Caller;
      try {
        caller = await identify(req, users);
        if (caller.via === 'session') checkFetchSite(req);
        checkOrigin(req, publicOrigin, caller.via === 'session' && req.method === 'POST');
        if (caller.via === 'session' && req.method === 'POST') users.checkCsrf(caller.session, req.headers[CSRF_HEADER]);
      } catch (err) {
        const stale = err instanceof OutpostError && err.code === 'unauthorized' && req.headers.authorization === undefined && readSessionCookie(req) !== null;
        return sendError(res, err, log, stale ? { 'Set-Cookie': CLEARED_SESSION_COOKIE } : {});
      }
      const principal = principalOf(caller);
      if (route === 'events') return attachStream(req, res, caller, principal);
      return serveRpc(req, res, route.slice('rpc/'.length), { handlers, ctx: { transport: 'http', principal }, log, adjust: (channel, result) => asUser(channel, result, principal) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, envelope('invalid_input', 'Method not allowed.'), { Allow: 'GET, HEAD' });
    if (route === 'signin') return sendPage(res, signInPage(await signedInUser(req)));
    if (route === 'invite') return sendPage(res, invitePage());
    if (route === '' || route === 'index.html') {
      // The panel itself only for a signed-in browser; anyone else is sent to sign in first.
      if (!(await signedInUser(req))) return redirect(res, 'signin');
      if (!rendererBuilt) return sendJson(res, 404, envelope('not_found', 'The panel\'s browser build is missing on this server.', 'Run `npm run build:web` where Outpost is installed.'));
      return serveStatic(res, options.rendererDir, '', (file, body) => (file.endsWith('.html') ? markAsTeam(body) : body));
    }
    return serveStatic(res, options.rendererDir, route);
  }

  /** The user behind the request's session cookie, or null (no cookie, or one that no longer holds). */
  async function signedInUser(req: IncomingMessage): Promise<{ name: string; role: string } | null> {
    const cookie = readSessionCookie(req);
    if (cookie === null) return null;
    try {
      const { user } = await users.authenticateSession(cookie);
      return { name: user.name, role: user.role };
    } catch (err) {
      if (err instanceof OutpostError && err.code === 'unauthorized') return null;
      throw err;
    }
  }

  function attachStream(req: IncomingMessage, res: ServerResponse, caller: Caller, principal: TeamPrincipal): void {
    if (req.method !== 'GET') return sendJson(res, 405, envelope('invalid_input', 'Use GET for events.'), { Allow: 'GET' });
    const recheck = caller.via === 'session' ? () => users.authenticateSession(caller.cookie) : () => users.authenticateApiToken(caller.bearer);
    streams.set(res, recheck);
    res.on('close', () => streams.delete(res));
    hub.attach(res, SECURITY_HEADERS, (event) => decide(principal.role, EVENT_READS[event]).allowed);
  }

  const recheckTimer = setInterval(() => {
    for (const [res, recheck] of streams) {
      recheck().catch((err: unknown) => {
        if (err instanceof OutpostError && err.code === 'unauthorized') res.end();
        else log.warn('could not re-check an event stream', { error: err instanceof Error ? err.message : String(err) });
      });
    }
  }, options.recheckMs ?? 60_000);
  recheckTimer.unref();
  // Ended sessions and spent links are deleted now and then, so the tables stay the size of the team.
  const pruneTimer = setInterval(() => {
    users.prune().catch((err: unknown) => log.warn('could not prune ended sessions', { error: err instanceof Error ? err.message : String(err) }));
  }, HOUR);
  pruneTimer.unref();

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(plan.port, plan.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = plan.host.includes(':') ? `[${plan.host}]` : plan.host;
  if (!publicUrl) publicUrl = `https://${hostInUrl}:${port}`;
  publicOrigin = new URL(publicUrl).origin;
  log.info('team server listening', { listening: `${plan.tls ? 'https' : 'http'}://${hostInUrl}:${port}`, publicUrl });

  return {
    url: `${publicUrl}/`,
    listening: `${plan.tls ? 'https' : 'http'}://${hostInUrl}:${port}`,
    port,
    webhookUrl: options.webhook ? `${publicUrl}${WEBHOOK_PATH}` : null,
    close: async () => {
      clearInterval(recheckTimer);
      clearInterval(pruneTimer);
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serveAsset(req: IncomingMessage, res: ServerResponse, name: string): void {
  const asset = Object.hasOwn(PAGE_ASSETS, name) ? PAGE_ASSETS[name] : undefined;
  if (!asset) return sendJson(res, 404, envelope('not_found', 'Not found.'));
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, envelope('invalid_input', 'Method not allowed.'), { Allow: 'GET, HEAD' });
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type });
  res.end(asset.body);
}

function sendPage(res: ServerResponse, html: string): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}

/** A relative redirect, so a server behind a proxy under a path prefix keeps its prefix. */
function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: location, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`See ${location}`);
}

function markAsTeam(html: Buffer): Buffer {
  const text = html.toString('utf8');
  const at = text.indexOf('<head>');
  return Buffer.from(at < 0 ? `${TEAM_MARKER}${text}` : `${text.slice(0, at + 6)}\n    ${TEAM_MARKER}${text.slice(at + 6)}`, 'utf8');
}

/** app:info's role is the signed-in user's, not the server's local setting: the panel shows what this user may do. */
function asUser(channel: string, result: Result<unknown>, principal: TeamPrincipal): Result<unknown> {
  if (channel !== 'app:info' || !result.ok) return result;
  return { ok: true, data: { ...(result.data as AppInfo), role: principal.role } };
}
