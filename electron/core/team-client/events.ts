// The server's event stream, read with fetch so that it can carry the Authorization header (an
// EventSource cannot send headers), fed into the desktop's own EventSink: the renderer keeps hearing
// job and instance changes exactly as from a local runtime. A dropped stream reconnects with a
// growing pause (reset once a stream opens); a stream silent for longer than three of the server's
// keep-alives is taken as dropped. Events are hints (the panel re-reads), so a gap is safe.
import { EVENT_NAMES, events as eventSchemas, type EventName } from '../../../shared/contract';
import type { Logger } from '../log';
import type { EventSink } from '../ports';
import type { FetchLike, TeamEndpoint } from './call';
import { serverName } from './url';

export interface TeamEventsOptions {
  fetch?: FetchLike;
  log?: Logger;
  /** Told when the stream opens (true) or fails (false, with a secret-free sentence). */
  onReachability?: (reachable: boolean, message: string | null) => void;
  /** First pause before a reconnect, doubled up to maxBackoffMs. Defaults 1 s and 30 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** No byte for this long (the server sends a keep-alive every 15 s) ends the stream. Default 50 s. */
  idleMs?: number;
}

export interface TeamEvents {
  close(): void;
}

const isEventName = (name: string): name is EventName => (EVENT_NAMES as readonly string[]).includes(name);

export function subscribeTeamEvents(endpoint: TeamEndpoint, sink: EventSink, options: TeamEventsOptions = {}): TeamEvents {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const report = options.onReachability ?? (() => undefined);
  const first = options.backoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 30_000;
  const idleMs = options.idleMs ?? 50_000;
  let closed = false;
  let pause = first;
  let current: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;

  const deliver = (name: string, data: string): void => {
    if (!isEventName(name)) return; // an event a newer server knows and this desktop does not
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = eventSchemas[name].safeParse(payload);
    if (parsed.success) sink.emit(name, parsed.data as never);
    else options.log?.warn('team events: an event did not match the contract; dropped', { event: name });
  };

  const readStream = async (body: ReadableStream<Uint8Array>, abort: AbortController): Promise<void> => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let idle = setTimeout(() => abort.abort(), idleMs);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(idle);
        idle = setTimeout(() => abort.abort(), idleMs);
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = 'message';
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length > 0) deliver(name, data.join('\n'));
        }
      }
    } finally {
      clearTimeout(idle);
      reader.releaseLock();
    }
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const abort = new AbortController();
    current = abort;
    let why = 'the event stream ended';
    try {
      const response = await doFetch(`${endpoint.url}/events`, {
        method: 'GET',
        headers: { Authorization: `Bearer ${endpoint.token}`, Accept: 'text/event-stream' },
        signal: abort.signal,
        redirect: 'error',
      });
      if (!response.ok || !response.body) {
        why = response.status === 401 ? 'the server refused the API token' : `the event stream answered HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } else {
        report(true, null);
        pause = first;
        await readStream(response.body, abort);
      }
    } catch {
      why = 'the connection failed';
    }
    if (closed) return;
    report(false, `The team server ${serverName(endpoint.url)} cannot be reached: ${why}.`);
    timer = setTimeout(() => void connect(), pause);
    timer.unref?.();
    pause = Math.min(max, pause * 2);
  };

  void connect();
  return {
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      current?.abort();
    },
  };
}
