// Store statistics and the last jobs' timelines, read through a read-only connection: diagnostics
// must work while the app runs (WAL allows a second reader) and must never migrate or write.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadDriver } from '../db/driver';
import { Store } from '../db/store';

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

export function summarizeStores(dataDir: string, lastJobs: number): { stores: StoreSummary[]; jobs: JobTimeline[]; problems: string[] } {
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
        const store = new Store(db);
        for (const job of store.jobs.list({ limit: lastJobs })) jobs.push({ mode, job, events: store.jobs.events(job.id) });
      } finally {
        db.close();
      }
    } catch (err) {
      problems.push(`${mode}.db: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { stores, jobs, problems };
}
