// `outpost export`: a store's rows as one portable file (format.ts), read in one transaction so the
// file is one moment of the store. A store with an unfinished job is refused: the job would be run on by
// the desktop and again by the team server after the import.
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { OutpostError } from '../../../../shared/errors';
import { postgresSchemaVersion } from '../engine';
import { schemaVersion } from '../open';
import type { Store } from '../store';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  TRANSFER_TABLES,
  emptyRows,
  encodeExport,
  refuseUnfinishedJobs,
  type ExportHeader,
  type TransferCounts,
  type TransferRow,
  type TransferRows,
  type TransferTable,
} from './format';

/** Each table's rows in a stable order (its key); jobs are then put after the job they retry. */
const ORDER: Record<TransferTable, readonly string[]> = {
  agents: ['id'],
  payments: ['id'],
  jobs: ['created_at', 'id'],
  job_events: ['job_id', 'seq'],
  instances: ['id'],
  audit_log: ['id'],
  webhook_events: ['event_id'],
};

export interface ExportOptions {
  /** The desktop mode whose SQLite file this is (sandbox or live); null for a PostgreSQL store. */
  mode: 'sandbox' | 'live' | null;
  outpostVersion: string;
  now?: () => Date;
}

export interface StoreSnapshot {
  header: ExportHeader;
  rows: TransferRows;
  /** Team users in the store: not moved (the team server has its own; README says how to add them). */
  usersNotMoved: number;
}

/** Every row that moves, read in one transaction; refused (conflict) while a job is unfinished. */
export async function snapshotStore(store: Store, options: ExportOptions): Promise<StoreSnapshot> {
  const version = store.sqlite ? schemaVersion(store.sqlite) : await postgresSchemaVersion(store.db);
  const { rows, sourceStoreId, usersNotMoved } = await store.transaction(async (tx) => {
    const rows = emptyRows();
    for (const table of TRANSFER_TABLES) {
      let query = tx.db.selectFrom(table).selectAll();
      for (const column of ORDER[table]) query = query.orderBy(column as never);
      rows[table] = (await query.execute()).map((row) => plainRow(table, row));
    }
    const users = await tx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { rows, sourceStoreId: await tx.meta.storeId(), usersNotMoved: Number(users.n) };
  });
  refuseUnfinishedJobs(rows.jobs, 'This store');
  rows.jobs = retriedFirst(rows.jobs);
  const counts = Object.fromEntries(TRANSFER_TABLES.map((t) => [t, rows[t].length])) as TransferCounts;
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    sourceStoreId,
    engine: store.engine,
    mode: options.mode,
    schemaVersion: version,
    outpostVersion: options.outpostVersion,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    counts,
  };
  return { header, rows, usersNotMoved };
}

/**
 * Writes the store to `file`: created owner-only (it holds customers and payments) and never over an
 * existing file. A write that fails half-way removes what it wrote; one cut short by a crash lacks its
 * seal and is refused by import.
 */
export async function exportStore(store: Store, file: string, options: ExportOptions): Promise<StoreSnapshot> {
  refuseExisting(file);
  const snapshot = await snapshotStore(store, options);
  const text = encodeExport(snapshot.header, snapshot.rows);
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(file);
    throw err;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw err;
  }
  return snapshot;
}

function refuseExisting(file: string): void {
  try {
    closeSync(openSync(file, 'r'));
  } catch {
    return;
  }
  throw new OutpostError('conflict', `${file} already exists; an export never overwrites a file.`, { hint: 'Choose another --out, or remove the old file first.' });
}

/** A row as plain JSON values; anything else (a blob, a bigint) would not survive the file. */
function plainRow(table: string, row: Record<string, unknown>): TransferRow {
  const out: TransferRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[column] = value;
    else throw new OutpostError('corrupt', `${table}.${column} holds a value that is neither text nor a number; nothing was exported.`);
  }
  return out;
}

/** Jobs in time order, each retry after the job it retries (jobs.retry_of references jobs). */
function retriedFirst(jobs: TransferRow[]): TransferRow[] {
  const ids = new Set(jobs.map((j) => j.id));
  const done = new Set<unknown>();
  const out: TransferRow[] = [];
  let pending = jobs;
  while (pending.length > 0) {
    const next: TransferRow[] = [];
    for (const job of pending) {
      if (job.retry_of === null || job.retry_of === undefined || !ids.has(job.retry_of) || done.has(job.retry_of)) {
        out.push(job);
        done.add(job.id);
      } else next.push(job);
    }
    // A cycle cannot be stored (a retry is made after its job); keep the rest as they are rather than loop.
    if (next.length === pending.length) return [...out, ...next];
    pending = next;
  }
  return out;
}
