// The two engines behind the store (DESIGN §8): SQLite in a file (the desktop's default, nothing to
// install) and PostgreSQL (the team server). Both are reached through one Kysely instance, so every
// query in repos/ is written once; this file is the only place that knows which engine is below.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, SqliteDialect, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import pg from 'pg';
import type { Database as SqliteDatabase } from './driver';
import type { Migration } from './migrations';
import { POSTGRES_MIGRATIONS } from './migrations-postgres';
import { openDatabase, integrityProblems as sqliteIntegrity, type OpenOptions } from './open';
import type { Tables } from './tables';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;

/** Where a store lives: a SQLite file, or a PostgreSQL database by its connection URL. */
export type StoreLocation = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/**
 * One open connection (SQLite) or pool (PostgreSQL). `inTransaction` marks the async context of a
 * transaction on this handle: a query sent from there through the handle's root instead of the
 * transaction's own store would wait forever for SQLite's single connection (held by the
 * transaction), and on PostgreSQL would run outside the transaction. Both are bugs; the guard turns
 * them into an immediate error naming the fix.
 */
export interface EngineHandle {
  engine: Engine;
  db: Db;
  /** The raw SQLite connection (pragmas, integrity_check); null on PostgreSQL. */
  sqlite: SqliteDatabase | null;
  transactionScope: AsyncLocalStorage<{ open: boolean }>;
  integrityProblems(): Promise<string[]>;
  close(): Promise<void>;
}

class OutsideTransactionGuard implements KyselyPlugin {
  constructor(private readonly scope: AsyncLocalStorage<{ open: boolean }>) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.scope.getStore()?.open) {
      throw new Error('A query went to the store itself inside one of its transactions: use the transaction\'s store (the `tx` given to the callback).');
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export async function openSqlite(file: string, options: OpenOptions = {}): Promise<EngineHandle> {
  const raw = openDatabase(file, options);
  const transactionScope = new AsyncLocalStorage<{ open: boolean }>();
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }), plugins: [new OutsideTransactionGuard(transactionScope)] });
  return {
    engine: 'sqlite',
    db,
    sqlite: raw,
    transactionScope,
    integrityProblems: () => Promise.resolve(sqliteIntegrity(raw)),
    close: async () => {
      if (raw.open) await db.destroy();
    },
  };
}

// int8 (counts, BIGINT ids and sums) and numeric arrive as strings from pg by default; every value
// the store keeps in them is far below 2^53, so they are parsed to numbers and rows read the same as
// on SQLite. Exported for the diagnostics' read-only connection, which reads the same rows.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
export const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === PG_INT8 || oid === PG_NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  migrations?: readonly Migration[];
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<EngineHandle> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types: pgTypes });
  // A connection that drops while idle in the pool would otherwise be an unhandled 'error' event.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, options.migrations ?? POSTGRES_MIGRATIONS);
  } catch (err) {
    await pool.end();
    throw new Error(`Cannot open the PostgreSQL store: ${describePgError(err)}`, { cause: err });
  }
  const transactionScope = new AsyncLocalStorage<{ open: boolean }>();
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), plugins: [new OutsideTransactionGuard(transactionScope)] });
  return {
    engine: 'postgres',
    db,
    sqlite: null,
    transactionScope,
    integrityProblems: () => postgresIntegrity(db),
    close: () => db.destroy(),
  };
}

/** The connection error without the URL (which may carry a password). */
function describePgError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(err));
}

const MIGRATION_LOCK = 0x6f7574706f7374n; // "outpost"

async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS outpost_schema (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM outpost_schema');
      const current = rows[0]?.version ?? 0;
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) {
        throw new Error(`This database has schema version ${current}, newer than this Outpost knows (${latest}). Upgrade Outpost.`);
      }
      for (const migration of migrations) {
        if (migration.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('DELETE FROM outpost_schema');
          await client.query('INSERT INTO outpost_schema (version) VALUES ($1)', [migration.version]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

export async function postgresSchemaVersion(db: Db): Promise<number> {
  const { rows } = await sql<{ version: number }>`SELECT version FROM outpost_schema`.execute(db);
  return rows[0]?.version ?? 0;
}

// Every table of `Tables`, checked by the compiler: a new table is not forgotten here.
const TABLE_NAMES = {
  agents: true, api_tokens: true, audit_log: true, catalog: true, instances: true, invites: true, job_events: true,
  jobs: true, meta: true, payments: true, sessions: true, users: true, webhook_events: true,
} as const satisfies Record<keyof Tables, true>;
const EXPECTED_TABLES = Object.keys(TABLE_NAMES) as (keyof Tables)[];

/**
 * PostgreSQL enforces constraints and foreign keys itself; what can still be wrong is a database
 * that is not (or no longer) an Outpost store: a table missing, or a schema version this build does
 * not know.
 */
async function postgresIntegrity(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db);
  const present = new Set(rows.map((r) => r.table_name));
  for (const table of EXPECTED_TABLES) if (!present.has(table)) problems.push(`table ${table} is missing`);
  const version = await postgresSchemaVersion(db);
  const latest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
  if (version !== latest) problems.push(`schema version ${version}, expected ${latest}`);
  return problems;
}

/** PostgreSQL's "could not serialize access" and deadlock: the transaction is safe to run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}
