// Opens (or creates) a store file and brings its schema up to date.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadDriver, type Database } from './driver';
import { MIGRATIONS, type Migration } from './migrations';

export interface OpenOptions {
  /** Milliseconds a writer waits for another connection's lock (two processes on one file). */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Database {
  if (file !== ':memory:') createPrivate(file);
  const Driver = loadDriver();
  const db = new Driver(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  db.pragma('synchronous = NORMAL');
  migrate(db, options.migrations ?? MIGRATIONS);
  return db;
}

/**
 * The store holds customers, payments and the audit log: owner-only. SQLite would create a new file
 * 0644 (less the umask); an empty file made here 0600 is a valid new database, and SQLite gives its
 * -wal and -shm files the database file's mode.
 */
function createPrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const refuseNewer = (current: number) => {
    if (current > latest) {
      throw new Error(
        `This store has schema version ${current}, newer than this Outpost knows (${latest}). ` +
          'Upgrade Outpost, or point --data-dir at another folder.',
      );
    }
  };
  refuseNewer(schemaVersion(db));
  for (const migration of migrations) {
    // The version is read again under the write lock: another process opening the same file at
    // the same moment may have applied this migration already.
    db.transaction(() => {
      const current = schemaVersion(db);
      refuseNewer(current);
      if (migration.version <= current) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** `PRAGMA integrity_check` and `foreign_key_check`: the list of problems, empty when healthy. */
export function integrityProblems(db: Database): string[] {
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = integrity.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const row of fk) problems.push(`foreign key: ${row.table} row ${row.rowid} points at a missing ${row.parent}`);
  return problems;
}
