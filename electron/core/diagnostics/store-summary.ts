// Store statistics and the last jobs' timelines, read through a read-only connection: diagnostics
// must work while the app runs (WAL allows a second reader) and must never migrate or write.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { loadDriver } from '../db/driver';
import type { Db } from '../db/engine';
import { JobsRepo } from '../db/repos/jobs';
import type { Tables } from '../db/tables';

const MODES = ['sandbox', 'live'] as const;

export interface StoreSummary {
  mode: (typeof MODES)[number];
  fileBytes: number;
  /** Rows per table. */
  tables: Record<string, number>;
  schemaVersion: number;
}

export interface JobTimeline {
  mode: (typeof MODES)[number];
  job: unknown;
  events: unknown[];
}

export async function summarizeStores(dataDir: string, lastJobs: number): Promise<{ stores: StoreSummary[]; jobs: JobTimeline[]; problems: string[] }> {
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
        stores.push({ mode, fileBytes: statSync(file).size, tables, schemaVersion: db.pragma('user_version', { simple: true }) as number });
        // The jobs repository over this read-only connection (Store.open would migrate the file).
        const kysely: Db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: db }) });
        try {
          const repo = new JobsRepo(kysely);
          for (const job of await repo.list({ limit: lastJobs })) jobs.push({ mode, job, events: await repo.events(job.id) });
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
  return { stores, jobs, problems };
}
