// Store statistics and the last jobs' timelines, read through a read-only connection: diagnostics
// must work while the app runs (WAL allows a second reader; PostgreSQL serves many) and must never
// migrate or write. The SQLite stores are the data directory's files; a team server's PostgreSQL
// store is summarised only when its location is given (the command's --database, never the desktop).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { loadDriver } from '../db/driver';
import { pgTypes, postgresSchemaVersion, type Db } from '../db/engine';
import { POSTGRES_MIGRATIONS } from '../db/migrations-postgres';
import { JobsRepo } from '../db/repos/jobs';
import type { Tables } from '../db/tables';
import { registerSecret } from '../redact';

const MODES = ['sandbox', 'live'] as const;

interface TableCounts {
  /** Rows per table. */
  tables: Record<string, number>;
  schemaVersion: number;
}

/** One store: a mode's SQLite file in the data directory, or the team server's PostgreSQL database. */
export type StoreSummary =
  | ({ engine: 'sqlite'; mode: (typeof MODES)[number]; fileBytes: number } & TableCounts)
  | ({
      engine: 'postgres';
      /** In words, without a password: `PostgreSQL database outpost on db.internal:5432`. */
      where: string;
      /** The version this Outpost migrates to; a server behind or ahead of it shows here. */
      latestSchemaVersion: number;
    } & TableCounts);

export type JobTimeline =
  | { engine: 'sqlite'; mode: (typeof MODES)[number]; job: unknown; events: unknown[] }
  | { engine: 'postgres'; job: unknown; events: unknown[] };

/** A team server's store. `where` comes from the caller (boot's describeStoreLocation): core sits below boot. */
export interface PostgresTarget {
  url: string;
  where: string;
}

export async function summarizeStores(
  dataDir: string,
  lastJobs: number,
  postgres?: PostgresTarget,
): Promise<{ stores: StoreSummary[]; jobs: JobTimeline[]; problems: string[] }> {
  const stores: StoreSummary[] = [];
  const jobs: JobTimeline[] = [];
  const problems: string[] = [];
  for (const mode of MODES) {
    const file = join(dataDir, `${mode}.db`);
    if (!existsSync(file)) continue;
    try {
      const Database = loadDriver();
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const tables: Record<string, number> = {};
        const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
        // Table names come from the file's own schema; quoted as identifiers all the same.
        for (const name of names) tables[name] = db.prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get() as number;
        stores.push({ engine: 'sqlite', mode, fileBytes: statSync(file).size, tables, schemaVersion: db.pragma('user_version', { simple: true }) as number });
        // The jobs repository over this read-only connection (Store.open would migrate the file).
        const kysely: Db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: db }) });
        try {
          const repo = new JobsRepo(kysely);
          for (const job of await repo.list({ limit: lastJobs })) jobs.push({ engine: 'sqlite', mode, job, events: await repo.events(job.id) });
        } finally {
          await kysely.destroy();
        }
      } finally {
        // Kysely closes the connection only if it sent a query through it.
        if (db.open) db.close();
      }
    } catch (err) {
      problems.push(`${mode}.db: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (postgres) {
    try {
      await summarizePostgres(postgres, lastJobs, stores, jobs);
    } catch (err) {
      // The collector redacts every entry; the password was registered before the first connection.
      problems.push(`${postgres.where}: ${describeError(err)}`);
    }
  }
  return { stores, jobs, problems };
}

/** The driver's message with its SQLSTATE (e.g. 3D000: database does not exist), for a support person to look up. */
function describeError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  return typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? `${e.code}: ${message}` : message;
}

/** Thrown when the database answers but holds no Outpost store: the URL names the wrong database. */
export class NotAnOutpostDatabase extends Error {
  constructor() {
    super("no Outpost store here (no outpost_schema table in the current schema): check that --database or OUTPOST_DATABASE_URL names the team server's database.");
    this.name = 'NotAnOutpostDatabase';
  }
}

/** Registers the URL's password (raw and decoded) so no driver message can carry it into the archive. */
function registerUrlPassword(url: string): void {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return; // pg refuses the URL below; its message is redacted like any other
  }
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // a malformed %-escape: the raw form is registered
  }
}

/**
 * A connection to a team server's PostgreSQL store for reading only, made without openPostgres (which
 * migrates, taking the migration lock). Every session is read-only from its start
 * (default_transaction_read_only in the startup packet), so even a bug in a query here cannot write;
 * statement_timeout bounds a read stuck behind a lock, connectionTimeoutMillis a host that never answers.
 */
export function openReadOnlyPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    types: pgTypes,
    application_name: 'outpost-diagnostics',
    connectionTimeoutMillis: 10_000,
    options: '-c default_transaction_read_only=on -c statement_timeout=30000',
  });
  // A connection that drops while idle would otherwise be an unhandled 'error' event.
  pool.on('error', () => undefined);
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

async function summarizePostgres(target: PostgresTarget, lastJobs: number, stores: StoreSummary[], jobs: JobTimeline[]): Promise<void> {
  registerUrlPassword(target.url);
  const db = openReadOnlyPostgres(target.url);
  try {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
    const names = rows.map((r) => r.table_name);
    if (!names.includes('outpost_schema')) throw new NotAnOutpostDatabase();
    const tables: Record<string, number> = {};
    // Names come from the database's own catalogue; quoted as identifiers all the same.
    for (const name of names) {
      const count = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.id(name)}`.execute(db);
      tables[name] = Number(count.rows[0]?.n ?? 0);
    }
    // Kept before the jobs are read: a schema too old or too new for the repository still leaves its statistics.
    stores.push({ engine: 'postgres', where: target.where, tables, schemaVersion: await postgresSchemaVersion(db), latestSchemaVersion: POSTGRES_MIGRATIONS.at(-1)?.version ?? 0 });
    const repo = new JobsRepo(db);
    for (const job of await repo.list({ limit: lastJobs })) jobs.push({ engine: 'postgres', job, events: await repo.events(job.id) });
  } finally {
    await db.destroy();
  }
}
