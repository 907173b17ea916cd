// PostgreSQL's LISTEN/NOTIFY for the store's events channel: how the processes sharing a team
// database tell each other that a job or an instance changed (core/event-relay.ts says what and
// acts on it). SQLite has nothing like it and needs nothing: one process uses a SQLite store.
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log';
import type { Db } from './engine';

export const EVENTS_CHANNEL = 'outpost_events';

/** The listening connection's application_name. */
export const LISTENER_NAME = 'outpost events listener';

/** PostgreSQL refuses a payload of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

/** Sends one notification on the channel (through the store's pool: outside any transaction, so it goes out at once). */
export async function notify(db: Db, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(db);
}

export interface Listening {
  /** Resolves once the first LISTEN is in place, or the first attempt failed (it then keeps retrying). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  url: string;
  log: Logger;
  onPayload(payload: string): void;
  /** First wait before reconnecting a dropped connection; doubled up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * Holds one dedicated connection (not from the pool: a pooled connection is handed to other queries
 * and would lose its LISTEN) listening on the channel, and reconnects it whenever it drops (a
 * restarted database, a network cut). Notifications sent while it was down are lost: they are hints,
 * the store keeps the truth, and a browser reloads what it shows on reconnect.
 */
export function listen(options: ListenOptions): Listening {
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = retryMs;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const retry = (why: string) => {
    if (closed || timer) return;
    // Never the URL: it may carry the database's password.
    options.log.warn('store notifications: listener connection lost; reconnecting', { reason: why, inMs: delay });
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, maxRetryMs);
  };

  const connect = async () => {
    // Named, so an operator (or a test) can tell it apart in pg_stat_activity.
    const c = new pg.Client({ connectionString: options.url, application_name: LISTENER_NAME });
    client = c;
    let dropped = false;
    const drop = (why: string) => {
      if (dropped) return;
      dropped = true;
      if (client === c) client = null;
      void c.end().catch(() => undefined);
      retry(why);
    };
    c.on('error', (err) => drop(err.message));
    c.on('end', () => drop('connection ended'));
    c.on('notification', (msg) => {
      if (msg.channel === EVENTS_CHANNEL && msg.payload) options.onPayload(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      delay = retryMs;
    } catch (err) {
      drop(describe(err));
    } finally {
      markReady();
    }
  };

  void connect();
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** A pg error without the connection string. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(err));
}
