// Everything a call could change, as one comparable value: a content hash of every row of every
// table (found in sqlite_master, so a new table is covered without editing this), the settings and
// the vault file. Row counts would miss an UPDATE; a hash of the rows does not. Read on the store's raw
// SQLite connection (the security sandbox is a SQLite store): sqlite_master, rowid and total_changes()
// are what make this complete and cheap enough for thousands of snapshots.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { Settings } from '../../shared/domain';
import type { Runtime } from '../../electron/boot/runtime';
import { readSettings } from '../../electron/core/settings';
import { VAULT_FILE } from '../../electron/core/vault';

export interface StateSnapshot {
  /** Table name -> hash of all its rows in rowid order. */
  tables: Record<string, string>;
  /** audit_log: hash of the rows that existed, and the highest rowid then (later rows are new entries). */
  auditUpTo: number;
  settings: Settings;
  vault: string | null;
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function rawSqlite(runtime: Runtime): Database {
  const db = runtime.store.sqlite;
  if (!db) throw new Error('state.ts hashes a SQLite store; this runtime\'s store is on another engine');
  return db;
}

function tableNames(db: Database): string[] {
  return (prepared(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

// Statements are prepared once per connection and query: the fuzz takes thousands of snapshots.
const statements = new WeakMap<Database, Map<string, Statement>>();
function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Hashes rows in a stable order (rowid, or every column for a WITHOUT ROWID table), value by value. */
function hashRows(db: Database, table: string, where = '', ...params: unknown[]): string {
  const quoted = `"${table.replaceAll('"', '""')}"`;
  let statement: Statement;
  try {
    statement = prepared(db, `SELECT rowid AS __rowid, * FROM ${quoted} ${where} ORDER BY rowid`);
  } catch {
    const columns = (db.prepare(`PRAGMA table_info(${quoted})`).all() as { name: string }[]).map((c) => `"${c.name}"`);
    statement = prepared(db, `SELECT * FROM ${quoted} ${where} ORDER BY ${columns.join(', ')}`);
  }
  const hash = createHash('sha256');
  for (const row of statement.raw().iterate(...params) as Iterable<unknown[]>) {
    for (const value of row) {
      // Type-tagged and length-prefixed, so no two different rows hash alike.
      const text = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
      hash.update(`${value === null ? 'n' : value instanceof Uint8Array ? 'B' : (typeof value)[0]}${text.length}:`).update(text);
    }
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** Rows inserted, updated or deleted on this connection since it opened (SQLite's total_changes()). */
const writesOf = (db: Database): number => (prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n;

/** The last full hash taken as a "before", with the write count it was taken at. */
const lastBefore = new WeakMap<Database, { writes: number; auditUpTo: number; tables: Record<string, string> }>();

/**
 * A content hash of every row of every table. Pass `since` (an earlier snapshot) to compare with it:
 * audit_log and its autoincrement counter are then read as far as they went then, so an appended
 * audit entry is not a change, an edited one is.
 *
 * `reuse` is for the "before" of a fuzz call: when the store's connection has written nothing since
 * the last full hash, that hash is the state now. The "after" is always hashed in full, so a change
 * made any other way still shows (as a difference, never hidden).
 */
export function snapshot(runtime: Runtime, since?: StateSnapshot, { reuse = false } = {}): StateSnapshot {
  const db = rawSqlite(runtime);
  const vaultPath = join(runtime.dataDir, VAULT_FILE);
  const rest = { settings: readSettings(runtime.settings), vault: existsSync(vaultPath) ? sha(readFileSync(vaultPath)) : null };
  const writes = writesOf(db);
  const cached = lastBefore.get(db);
  if (reuse && !since && cached && cached.writes === writes) return { tables: cached.tables, auditUpTo: cached.auditUpTo, ...rest };

  const auditUpTo = since?.auditUpTo ?? (prepared(db, 'SELECT coalesce(max(rowid), 0) AS n FROM audit_log').get() as { n: number }).n;
  const tables: Record<string, string> = {};
  for (const table of tableNames(db)) {
    // audit_log grows with every mutation attempt, refused ones too: its existing rows must not change.
    tables[table] =
      table === 'audit_log'
        ? hashRows(db, table, 'WHERE rowid <= ?', auditUpTo)
        : table === 'sqlite_sequence'
          ? hashRows(db, table, "WHERE name <> 'audit_log'")
          : hashRows(db, table);
  }
  if (reuse && !since) lastBefore.set(db, { writes, auditUpTo, tables });
  return { tables, auditUpTo, ...rest };
}

/** What the tests read of an audit entry written after a snapshot. */
export interface NewAuditEntry {
  action: string;
  role: string;
  outcome: string;
  detail: Record<string, unknown>;
}

/** Audit entries written after `before` was taken (a mutation attempt writes exactly one). */
export function auditSince(runtime: Runtime, before: StateSnapshot): NewAuditEntry[] {
  const db = rawSqlite(runtime);
  const rows = prepared(db, 'SELECT action, role, outcome, detail FROM audit_log WHERE rowid > ? ORDER BY rowid').all(before.auditUpTo) as (Omit<NewAuditEntry, 'detail'> & { detail: string })[];
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
