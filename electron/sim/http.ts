import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the server turns it into bytes, headers and a request-log entry. */
export interface Reply {
  status: number;
  /** JSON body; `undefined` means an empty body (e.g. Tailscale's DELETE device). */
  body?: unknown;
  /** Pre-serialised body, used by fault injection for malformed JSON. */
  raw?: string;
  headers?: Record<string, string>;
  /** The API's error code (Hetzner) or message (Tailscale), for the request log. */
  code?: string | null;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

export interface Request {
  method: string;
  /** Path without the query, e.g. `/hetzner/v1/servers`. */
  path: string;
  /** Path with the query, as received. */
  url: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** `http://host:port` as the client addressed us, for absolute `Link` URLs. */
  origin: string;
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function writeReply(res: ServerResponse, reply: Reply): string {
  const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  const headers: Record<string, string | number> = { ...reply.headers, 'Content-Length': Buffer.byteLength(text) };
  if (text !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  res.writeHead(reply.status, headers);
  res.end(text);
  return text;
}

/** Matches `/servers/:id` style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    const seg = s[i] as string;
    if (part.startsWith(':')) {
      if (seg === '') return null;
      params[part.slice(1)] = decodeURIComponent(seg);
    } else if (part !== seg) return null;
  }
  return params;
}

export interface Route<C> {
  method: string;
  pattern: string;
  handle: (ctx: C, params: Record<string, string>) => Reply | Promise<Reply>;
}

export function findRoute<C>(routes: readonly Route<C>[], method: string, path: string) {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params, pathMatched };
  }
  return { route: null, params: {}, pathMatched };
}
