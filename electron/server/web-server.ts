// Browser mode: the same services and contract over HTTP + SSE on 127.0.0.1, serving the built
// renderer. Every URL lives under /<secret>/ so nothing is reachable without this run's secret.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { Result } from '../../shared/errors';
import { dispatch, type Handlers } from '../core/dispatch';
import type { Logger } from '../core/log';
import { contentTypeFor, resolveInside } from '../core/safe-path';
import { isAllowedFetchSite, isAllowedHost, isAllowedOrigin, secretMatches } from './guards';
import { type SseHub } from './sse';

const MAX_BODY_BYTES = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The secret is in every URL: never let it leave in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export interface WebServerOptions {
  handlers: Handlers;
  hub: SseHub;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  /** Fixed secret for tests; random otherwise. */
  secret?: string;
  log?: Logger;
}

export interface RunningWebServer {
  /** The URL to open, secret included. */
  url: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.log?.error('browser-mode request failed', { error: String(err) });
      if (!res.headersSent) sendJson(res, 500, envelope('internal', 'Outpost hit an internal error.'));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      return sendJson(res, 421, envelope('forbidden', 'This address is not served here: open the URL Outpost printed.'));
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const site = req.headers['sec-fetch-site'];
    if (!isAllowedOrigin(origin, port) || !isAllowedFetchSite(typeof site === 'string' ? site : undefined)) {
      return sendJson(res, 403, envelope('forbidden', 'Cross-origin requests are refused.'));
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, first = '', ...rest] = url.pathname.split('/');
    if (!secretMatches(first, secret)) return sendJson(res, 404, envelope('not_found', 'Not found.'));
    const route = rest.join('/');

    if (route.startsWith('rpc/')) {
      if (req.method !== 'POST') return sendJson(res, 405, envelope('invalid_input', 'Use POST for rpc calls.'));
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, envelope('invalid_input', 'Send the request as application/json.'));
      }
      const body = await readBody(req);
      if (body === null) return sendJson(res, 413, envelope('invalid_input', 'The request body is larger than 1 MiB.'));
      let raw: unknown;
      try {
        raw = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return sendJson(res, 400, envelope('invalid_input', 'The request body is not valid JSON.'));
      }
      const channel = decodeURIComponent(route.slice('rpc/'.length));
      return sendJson(res, 200, await dispatch(options.handlers, channel, raw, { transport: 'http' }, options.log));
    }
    if (route === 'events') {
      if (req.method !== 'GET') return sendJson(res, 405, envelope('invalid_input', 'Use GET for events.'));
      return options.hub.attach(res, SECURITY_HEADERS);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, envelope('invalid_input', 'Method not allowed.'));
    }
    return serveStatic(res, route === '' ? 'index.html' : route);
  }

  async function serveStatic(res: ServerResponse, route: string): Promise<void> {
    const file = resolveInside(options.rendererDir, route);
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) return sendJson(res, 404, envelope('not_found', 'Not found.'));
    const body = await readFile(file);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file), 'Content-Length': body.length });
    res.end(body);
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
    close: async () => {
      options.hub.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function envelope(code: 'forbidden' | 'not_found' | 'invalid_input' | 'internal', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
