// Events are hints (the store is the truth), so a burst about one job or one instance can be folded
// into its latest state: at most one event per key per interval, the last one always delivered.
// A fleet of 100 jobs then cannot flood the renderer.
import type { EventName, EventPayload } from '../../shared/contract';
import type { EventSink } from './ports';

const keyOf = (event: EventName, payload: unknown): string => {
  const p = payload as { jobId?: string; instance?: { id?: string } };
  return `${event}:${p.jobId ?? p.instance?.id ?? ''}`;
};

/** A job's timeline note that says why a step is waiting (step.ts waitNotes). */
const announcesWait = (payload: unknown): boolean => {
  const e = (payload as { event?: { type?: string; data?: { wait?: unknown } } | null }).event;
  return e?.type === 'note' && e.data?.wait !== undefined;
};

export class CoalescingSink implements EventSink {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, { event: EventName; payload: unknown; timer: NodeJS.Timeout }>();

  constructor(
    private readonly inner: EventSink,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const key = keyOf(event, payload);
    const waiting = this.pending.get(key);
    if (announcesWait(payload)) {
      // "Waiting for Hetzner's rate limit, 12 s" is what keeps a slow step from looking hung: never
      // folded into a later state. What was waiting goes first, so the renderer never steps back.
      if (waiting) {
        clearTimeout(waiting.timer);
        this.pending.delete(key);
        this.send(key, waiting.event, waiting.payload as never);
      }
      this.send(key, event, payload);
      return;
    }
    if (waiting) {
      waiting.payload = payload; // the trailing send carries the latest state
      return;
    }
    const since = this.now() - (this.lastSent.get(key) ?? -Infinity);
    if (since >= this.intervalMs) {
      this.send(key, event, payload);
      return;
    }
    const timer = setTimeout(() => {
      const p = this.pending.get(key)!;
      this.pending.delete(key);
      this.send(key, p.event, p.payload as EventPayload<E>);
    }, this.intervalMs - since);
    timer.unref();
    this.pending.set(key, { event, payload, timer });
  }

  /** Sends everything still waiting (before shutdown). */
  flush(): void {
    for (const [key, p] of this.pending) {
      clearTimeout(p.timer);
      this.send(key, p.event, p.payload as never);
    }
    this.pending.clear();
  }

  private send<E extends EventName>(key: string, event: E, payload: EventPayload<E>): void {
    this.lastSent.set(key, this.now());
    if (this.lastSent.size > 10_000) this.lastSent.clear(); // bounded: forgetting only allows one extra send
    this.inner.emit(event, payload);
  }
}
