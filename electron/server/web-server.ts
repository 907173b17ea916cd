// Browser mode: the same services and contract over HTTP + SSE on 127.0.0.1, serving the built
// renderer. Every URL lives under /<secret>/ so nothing is reachable without this run's secret.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../core/dispatch';
import { createLogger, registerSecret, type Logger } from '../core/log';
import { isAllowedFetchSite, isAllowedHost, isAllowedOrigin, secretMatches } from './guards';
import { type SseHub } from './sse';
import { DEFAULT_TIMEOUTS, serverTimeouts, type WebServerTimeouts } from './timeouts';
import { WEBHOOK_PATH } from '../../shared/webhook';
import type { PaymentWebhook } from '../core/payments/webhook/receive';
import { systemClock, type Clock } from '../core/ports';
import { FailureLimit } from './failure-limit';
import { envelope, sendJson } from './respond';
import { serveRpc } from './rpc-route';
import { SECURITY_HEADERS } from './security-headers';
import { serveStatic } from './static-route';
import { serveWebhook } from './webhook-route';

export interface WebServerOptions {
  handlers: Handlers;
  hub: SseHub;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  /** Fixed secret for tests; random otherwise. */
  secret?: string;
  /** Where internal errors go: the shell's redacting logger (a redacting one on stderr if none is given). */
  log?: Logger;
  /** How long a client may take to send its headers and its whole request (tests shorten them). */
  timeouts?: Partial<WebServerTimeouts>;
  /** The payments webhook, served at WEBHOOK_PATH; absent (no secret configured): that path is 404. */
  webhook?: PaymentWebhook;
  /** The clock of the webhook's failure limit (tests pass a virtual one). */
  clock?: Clock;
}

export interface RunningWebServer {
  /** The URL to open, secret included. */
  url: string;
  port: number;
  secret: string;
  /** Where the payments webhook listens, or null when it is off (no secret configured). */
  webhookUrl: string | null;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  // The secret is in every URL: should one ever reach a log line, it is masked there.
  registerSecret(secret);
  const log = options.log ?? createLogger({ name: 'outpost-web', level: 'error' });
  let port = 0;
  // 20 refused deliveries a minute per source: a misconfigured sender still sees its errors, a guesser stalls.
  const webhookFailures = new FailureLimit(options.clock ?? systemClock, { max: 20, windowMs: 60_000 });
  const server = createServer(serverTimeouts({ ...DEFAULT_TIMEOUTS, ...options.timeouts }), (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Never the URL: it carries the secret.
      log.error('browser-mode request failed', { method: req.method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      if (!res.headersSent) sendJson(res, 500, envelope('internal', 'Outpost hit an internal error.'));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The webhook authenticates by signature, not by who is asking: see webhook-route.ts for why the
    // panel's Host and Origin checks do not apply to it.
    if ((req.url ?? '').split('?', 1)[0] === WEBHOOK_PATH) return serveWebhook(req, res, options.webhook, webhookFailures);
    if (!isAllowedHost(req.headers.host, port)) {
      return sendJson(res, 421, envelope('forbidden', 'This address is not served here: open the URL Outpost printed.'));
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const site = req.headers['sec-fetch-site'];
    if (!isAllowedOrigin(origin, port) || !isAllowedFetchSite(typeof site === 'string' ? site : undefined)) {
      return sendJson(res, 403, envelope('forbidden', 'Cross-origin requests are refused.'));
    }
    // The path as sent, up to its query: parsing it as a URL would read `//x/…` as a host (and throw)
    // and resolve `..` before the secret is checked. Anything not origin-form is simply not served.
    const path = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
    if (!path.startsWith('/')) return sendJson(res, 404, envelope('not_found', 'Not found.'));
    const [, first = '', ...rest] = path.split('/');
    if (!secretMatches(first, secret)) return sendJson(res, 404, envelope('not_found', 'Not found.'));
    const route = rest.join('/');

    if (route.startsWith('rpc/')) return serveRpc(req, res, route.slice('rpc/'.length), { handlers: options.handlers, ctx: { transport: 'http' }, log });
    if (route === 'events') {
      if (req.method !== 'GET') return sendJson(res, 405, envelope('invalid_input', 'Use GET for events.'));
      return options.hub.attach(res, SECURITY_HEADERS);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, envelope('invalid_input', 'Method not allowed.'));
    }
    return serveStatic(res, options.rendererDir, route);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/${secret}/`,
    port,
    secret,
    webhookUrl: options.webhook ? `http://127.0.0.1:${port}${WEBHOOK_PATH}` : null,
    close: async () => {
      options.hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
