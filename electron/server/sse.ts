// Server-Sent Events: browser mode's EventSink. Each connected page gets every event as
// `event: <name>` + JSON data; a comment line every 15 s keeps proxies and the browser from
// timing the stream out. A client may be attached with a filter (the team server: a role that may
// not read jobs gets no job events).
import type { ServerResponse } from 'node:http';
import type { EventName, EventPayload } from '../../shared/contract';
import type { EventSink } from '../core/ports';

export class SseHub implements EventSink {
  /** Each stream with the events it may receive (absent: every event). */
  private readonly clients = new Map<ServerResponse, ((event: EventName) => boolean) | undefined>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  attach(res: ServerResponse, headers: Readonly<Record<string, string>>, accepts?: (event: EventName) => boolean): void {
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.clients.set(res, accepts);
    res.on('close', () => this.clients.delete(res));
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const chunk = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const [res, accepts] of this.clients) if (!accepts || accepts(event)) res.write(chunk);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients.keys()) res.write(chunk);
  }
}
