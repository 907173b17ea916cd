// The OutpostApi over HTTP: POST <base>rpc/<channel> for calls, one EventSource for events.
// Browser mode serves the page at http://127.0.0.1:<port>/<secret>/, so relative URLs carry the secret.
// A team server (`outpost serve`) authenticates by a session cookie instead: the browser sends the
// cookie by itself, and every call also carries the session's CSRF token (from GET auth/session) in
// X-Outpost-CSRF; when the server answers that the session has ended (HTTP 401), the page goes to sign in.
import type { Channel, EventName, EventPayload, OutpostApi, Req, Res } from '../../../shared/contract';
import { OutpostError, type Result } from '../../../shared/errors';

export interface HttpApiOptions {
  /** Served by a team server: calls carry the CSRF token, and an ended session leads to sign-in. */
  team?: boolean;
  /** What to do when the team server says nobody is signed in: the page opens `signInUrl` (getApi passes that). */
  onSignedOut?: (signInUrl: URL) => void;
}

export const CSRF_HEADER = 'X-Outpost-CSRF';

/** Whether this page was served by a team server: it marks the page with <meta name="outpost-server" content="team">. */
export function servedByTeamServer(doc: { querySelector(selectors: string): unknown }): boolean {
  return doc.querySelector('meta[name="outpost-server"][content="team"]') !== null;
}

interface SessionAnswer {
  csrfToken?: string;
}

export function createHttpApi(base: URL, options: HttpApiOptions = {}): OutpostApi {
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const signInUrl = new URL('signin', base);
  // This file is also compiled for Node (tests call it there), so it names no DOM global itself.
  const signedOut = options.onSignedOut ?? (() => undefined);
  // The team server's CSRF token for this session: read once, read again when the server refuses it
  // (the person signed in again in another tab, which made a new session).
  let csrf: Promise<string | null> | null = null;

  const unreachable = () =>
    new OutpostError('unavailable', 'Outpost is not answering.', {
      hint: options.team ? 'Check your connection to the team server, then reload.' : 'Check that `npm run web` (or `outpost web`) is still running, then reload.',
    });

  const sessionEnded = (body: Result<never> | null): OutpostError => {
    signedOut(signInUrl);
    return body && !body.ok ? OutpostError.fromBody(body.error) : new OutpostError('unauthorized', 'Your session has ended.', { hint: 'Sign in again.' });
  };

  const readCsrf = async (): Promise<string | null> => {
    let response: Response;
    try {
      response = await fetch(new URL('auth/session', base), { credentials: 'same-origin' });
    } catch {
      throw unreachable();
    }
    const body = (await response.json().catch(() => null)) as Result<SessionAnswer> | null;
    if (response.status === 401) throw sessionEnded(body as Result<never> | null);
    return body?.ok ? (body.data.csrfToken ?? null) : null;
  };

  const csrfToken = (): Promise<string | null> => {
    csrf ??= readCsrf().catch((err: unknown) => {
      csrf = null; // ask again next time
      throw err;
    });
    return csrf;
  };

  const ensureSource = (): EventSource => {
    if (source) return source;
    source = new EventSource(new URL('events', base));
    return source;
  };

  async function post(channel: Channel, request: unknown, token: string | null): Promise<{ response: Response; result: Result<unknown> | null }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers[CSRF_HEADER] = token;
    let response: Response;
    try {
      response = await fetch(new URL(`rpc/${encodeURIComponent(channel)}`, base), { method: 'POST', headers, body: JSON.stringify(request ?? {}) });
    } catch {
      throw unreachable();
    }
    return { response, result: (await response.json().catch(() => null)) as Result<unknown> | null };
  }

  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      let { response, result } = await post(channel, request, options.team ? await csrfToken() : null);
      if (options.team && response.status === 403 && result && !result.ok && result.error.code === 'forbidden') {
        // A stale token: read the session's current one and try once more.
        csrf = null;
        ({ response, result } = await post(channel, request, await csrfToken()));
      }
      if (options.team && response.status === 401) throw sessionEnded(result as Result<never> | null);
      if (!result) throw new OutpostError('internal', `Unexpected answer (HTTP ${response.status}).`);
      if (!result.ok) throw OutpostError.fromBody(result.error);
      return result.data as Res<C>;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const es = ensureSource();
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        es.addEventListener(event, (message) => {
          const payload = JSON.parse((message as unknown as { data: string }).data) as unknown;
          for (const l of fresh) l(payload);
        });
        set = fresh;
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
