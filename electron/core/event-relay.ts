// Job and instance events across the processes of a team server (issue 16): each process sends its
// own through PostgreSQL NOTIFY after the change committed (a small notice naming the row, never the
// row itself: a payload stops at 8000 bytes), and every other process reads the committed row and
// gives it to its own browsers. A process ignores its own notices (its browsers already had the event), so each browser
// gets each event once. db/notify.ts is the transport.
import type { EventName, EventPayload } from '../../shared/contract';
import type { Store } from './db/store';
import { listen, MAX_PAYLOAD_BYTES, notify, type Listening } from './db/notify';
import type { Logger } from './log';
import { KeyedQueue } from './keyed-queue';
import type { EventSink } from './ports';

/** What crosses the channel: who sent it, and which row changed. */
export type EventNotice = { origin: string; kind: 'job'; jobId: string; seq: number } | { origin: string; kind: 'instance'; instanceId: string };

const keyOfNotice = (n: EventNotice): string => (n.kind === 'job' ? `job:${n.jobId}` : `instance:${n.instanceId}`);

/**
 * The sink this process's core emits to: passes every event on to `local` and sends a notice for the
 * job and instance events — one row's notices in the order its events happened, different rows' side by side.
 */
export class NotifyingSink implements EventSink {
  private readonly sending = new KeyedQueue();

  constructor(
    private readonly local: EventSink,
    private readonly store: Store,
    private readonly origin: string,
    private readonly log: Logger,
  ) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.local.emit(event, payload);
    const notice = noticeOf(this.origin, event, payload);
    if (!notice) return;
    const text = JSON.stringify(notice);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      this.log.warn('store notifications: notice too long, not sent', { kind: notice.kind });
      return;
    }
    this.sending.run(
      keyOfNotice(notice),
      () => notify(this.store.db, text),
      (err: unknown) => this.log.warn('store notifications: could not send', { error: err instanceof Error ? err.message : String(err) }),
    );
  }

  /** Resolves once every notice emitted so far has been sent (or failed): before the store closes. */
  drain(): Promise<void> {
    return this.sending.drain();
  }
}

function noticeOf(origin: string, event: EventName, payload: unknown): EventNotice | null {
  if (event === 'job:progress') {
    const p = payload as EventPayload<'job:progress'>;
    return { origin, kind: 'job', jobId: p.jobId, seq: p.seq };
  }
  if (event === 'instance:changed') return { origin, kind: 'instance', instanceId: (payload as EventPayload<'instance:changed'>).instance.id };
  return null;
}

export interface RelayOptions {
  url: string;
  store: Store;
  /** This process's notices carry it; notices carrying it are its own and ignored. */
  origin: string;
  /** Where this process's browsers listen (not the NotifyingSink: an event read here is not sent on again). */
  local: EventSink;
  log: Logger;
  /** Another process changed this job (a cancel may have been requested through it). */
  onJobChanged?(jobId: string): void;
}

/**
 * Listens for the other processes' notices and emits each changed row to `local`. One row's notices
 * are handled in the order they arrived, so a browser never sees a job go back in time; different
 * rows' side by side.
 */
export function relayOtherProcesses(options: RelayOptions): Listening {
  const relaying = new KeyedQueue();
  const handle = async (notice: EventNotice) => {
    if (notice.kind === 'job') {
      const job = await options.store.jobs.get(notice.jobId);
      if (!job) return;
      const event = notice.seq > 0 ? ((await options.store.jobs.events(notice.jobId, notice.seq - 1)).find((e) => e.seq === notice.seq) ?? null) : null;
      options.local.emit('job:progress', { jobId: notice.jobId, seq: notice.seq, job, event });
      options.onJobChanged?.(notice.jobId);
    } else {
      const instance = await options.store.instances.get(notice.instanceId);
      if (instance) options.local.emit('instance:changed', { instance });
    }
  };
  const listening = listen({
    url: options.url,
    log: options.log,
    onPayload: (payload) => {
      const notice = parseNotice(payload);
      if (!notice || notice.origin === options.origin) return;
      relaying.run(
        keyOfNotice(notice),
        () => handle(notice),
        (err: unknown) => options.log.warn('store notifications: could not relay a change', { error: err instanceof Error ? err.message : String(err) }),
      );
    },
  });
  return {
    ready: listening.ready,
    // The changes already received are relayed before the store they are read from closes.
    close: async () => {
      await listening.close();
      await relaying.drain();
    },
  };
}

/** A notice as sent by NotifyingSink; anything else on the channel is ignored. */
export function parseNotice(payload: string): EventNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v.origin !== 'string') return null;
  if (v.kind === 'job' && typeof v.jobId === 'string' && typeof v.seq === 'number' && Number.isInteger(v.seq)) {
    return { origin: v.origin, kind: 'job', jobId: v.jobId, seq: v.seq };
  }
  if (v.kind === 'instance' && typeof v.instanceId === 'string') return { origin: v.origin, kind: 'instance', instanceId: v.instanceId };
  return null;
}
