// Scripted fetch for unit tests: each call takes the next scripted reply (or a route handler).
import type { FetchLike } from '../../../electron/core/http/fetch';

export type Reply =
  | { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }
  | { network: true }
  | { hang: true };

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

export function apiError(status: number, code: string, message = code, headers: Record<string, string> = {}): Reply {
  return { status, body: { error: { code, message, details: null } }, headers };
}

/** A fetch that answers from `script` (in order, the last one repeating) or from `route`. */
export function scriptedFetch(script: Reply[] | ((call: Call, n: number) => Reply)): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl: FetchLike = (input, init = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const call: Call = { method: init.method ?? 'GET', url: input, headers, body: init.body as string | undefined };
    calls.push(call);
    const reply = typeof script === 'function' ? script(call, calls.length - 1) : (script[calls.length - 1] ?? script.at(-1)!);
    if ('network' in reply) return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
    if ('hang' in reply) {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return Promise.resolve(new Response(text, { status: reply.status, headers: { 'content-type': 'application/json', ...reply.headers } }));
  };
  return { fetch: fetchImpl, calls };
}

/** Records requested sleeps and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms: number) => {
      slept.push(ms);
      return Promise.resolve();
    },
  };
}
