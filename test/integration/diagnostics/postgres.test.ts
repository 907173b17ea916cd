// `outpost diagnostics --database URL` on a team host: the PostgreSQL store's statistics and recent
// job timelines join the SQLite ones, read through a read-only connection (never migrated, never
// written), and the URL's password reaches no entry, no problem line and no output. The database is
// a throwaway one in the integration project's cluster (test/fixtures/postgres.ts).
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreLocation } from '../../../electron/boot/team-store';
import { POSTGRES_MIGRATIONS } from '../../../electron/core/db/migrations-postgres';
import { Store } from '../../../electron/core/db/store';
import { collectDiagnostics, type DiagnosticEntries, type JobTimeline, type PostgresTarget, type StoreSummary } from '../../../electron/core/diagnostics';
import { openReadOnlyPostgres } from '../../../electron/core/diagnostics/store-summary';
import { spawnOutpost } from '../../fixtures/cli-process';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { tempDir } from '../../fixtures/temp-dir';

// The cluster trusts local connections, so any password is accepted and ignored: it is here only to
// be searched for. %40 is '@': neither the encoded nor the decoded form may appear.
const PASSWORD_ENCODED = 'CANARYpg%40pass0123';
const PASSWORD_DECODED = 'CANARYpg@pass0123';
const JOB_ID = 'job_pg_diag_1';
const at = '2026-11-30T09:00:00.000Z';

const withPassword = (url: string): string => {
  const u = new URL(url);
  u.password = PASSWORD_ENCODED;
  return u.toString();
};

const target = (url: string): PostgresTarget => ({ url, where: describeStoreLocation({ engine: 'postgres', url }) });

const collect = (dataDir: string, postgres: PostgresTarget): Promise<DiagnosticEntries> =>
  collectDiagnostics({ dataDir, appVersion: '0.0.0-test', env: {}, postgres });

const expectNoPassword = (texts: string[]): void => {
  const everything = texts.join('\n');
  expect(everything).not.toContain(PASSWORD_ENCODED);
  expect(everything).not.toContain(PASSWORD_DECODED);
  // Nor either half: a URL pattern that stops at the first '@' would mask only the first.
  expect(everything).not.toContain('CANARYpg');
  expect(everything).not.toContain('pass0123');
};

/** Every table's row count and the schema version, through a separate ordinary connection. */
async function snapshot(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) counts[table_name] = Number((await client.query(`SELECT count(*) AS n FROM "${table_name}"`)).rows[0].n);
    counts['(schema version)'] = Number((await client.query('SELECT version FROM outpost_schema')).rows[0].version);
    return counts;
  } finally {
    await client.end();
  }
}

/** A local port nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const scratch = tempDir('outpost-diag-pg-');
let place: TestLocation;
let url: string;
// The same database without the password, for the test's own connections.
let plainUrl: string;
let before: Record<string, number>;
let entries: DiagnosticEntries;

beforeAll(async () => {
  place = await storeLocation('postgres');
  if (place.location.engine !== 'postgres') throw new Error('storeLocation(postgres) gave another engine');
  plainUrl = place.location.url;
  url = withPassword(plainUrl);
  // Store.open migrates: the test's own setup, never what diagnostics does.
  const store = await Store.open(place.location);
  try {
    await store.jobs.insert({ id: JOB_ID, kind: 'provision', instanceId: null, paymentId: null, params: { region: 'fsn1' }, at });
    await store.jobs.appendEvent(JOB_ID, { type: 'step_started', step: 'create_key', data: {} }, at);
    await store.jobs.appendEvent(JOB_ID, { type: 'step_succeeded', step: 'create_key', durationMs: 42, data: {} }, at);
    await store.jobs.appendEvent(JOB_ID, { type: 'step_started', step: 'create_server', data: {} }, at);
  } finally {
    await store.close();
  }
  before = await snapshot(plainUrl);
  entries = await collect(scratch.dir, target(url));
});

afterAll(async () => {
  await place?.cleanup();
  scratch.cleanup();
});

describe('diagnostics with a PostgreSQL store', () => {
  it('summarises the store: engine, where without a password, rows per table, the latest schema version', () => {
    const store = JSON.parse(entries['store.json']!) as { stores: StoreSummary[]; problems: string[] };
    expect(store.problems).toEqual([]);
    // The data directory has no SQLite file: the PostgreSQL store is the only one.
    expect(store.stores).toHaveLength(1);
    const summary = store.stores[0]!;
    if (summary.engine !== 'postgres') throw new Error(`expected the postgres summary, got ${summary.engine}`);
    const latest = POSTGRES_MIGRATIONS.at(-1)!.version;
    expect(summary).toMatchObject({ where: describeStoreLocation({ engine: 'postgres', url }), schemaVersion: latest, latestSchemaVersion: latest });
    expect(summary.where).toMatch(/^PostgreSQL database outpost_[0-9a-f]+ on 127\.0\.0\.1:\d+$/);
    expect(summary).not.toHaveProperty('fileBytes');
    const { ['(schema version)']: _version, ...tables } = before;
    expect(summary.tables).toEqual(tables);
    expect(summary.tables).toMatchObject({ jobs: 1, job_events: 3, outpost_schema: 1 });
  });

  it('puts the seeded job with its events in jobs.json, read through JobsRepo', () => {
    const jobs = JSON.parse(entries['jobs.json']!) as JobTimeline[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ engine: 'postgres', job: { id: JOB_ID, kind: 'provision', status: 'queued' } });
    expect((jobs[0]!.events as { type: string; step: string; durationMs: number | null }[]).map((e) => `${e.type}:${e.step}:${e.durationMs}`)).toEqual([
      'step_started:create_key:null',
      'step_succeeded:create_key:42',
      'step_started:create_server:null',
    ]);
  });

  it('has the password in no entry', () => {
    expectNoPassword(Object.values(entries));
  });

  it('changes nothing in the database', async () => {
    expect(await snapshot(plainUrl)).toEqual(before);
  });

  it('reads through a connection that refuses writes', async () => {
    const db = openReadOnlyPostgres(url);
    try {
      // 25006: read_only_sql_transaction.
      await expect(sql`CREATE TABLE planted_by_diagnostics (x int)`.execute(db)).rejects.toMatchObject({ code: '25006' });
      await expect(sql`DELETE FROM jobs`.execute(db)).rejects.toMatchObject({ code: '25006' });
    } finally {
      await db.destroy();
    }
    expect(await snapshot(plainUrl)).toEqual(before);
  });

  it('turns an unreachable database into a problem line without the password, not a crash', async () => {
    const port = await closedPort();
    const unreachable = `postgresql://postgres:${PASSWORD_ENCODED}@127.0.0.1:${port}/outpost`;
    const got = await collect(scratch.dir, target(unreachable));
    const store = JSON.parse(got['store.json']!) as { stores: StoreSummary[]; problems: string[] };
    expect(store.stores).toEqual([]);
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]).toMatch(new RegExp(`^PostgreSQL database outpost on 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(JSON.parse(got['jobs.json']!)).toEqual([]);
    expectNoPassword(Object.values(got));
  });

  it('turns a database that holds no Outpost store into a problem line naming what to check, and leaves it empty', async () => {
    const empty = await storeLocation('postgres');
    try {
      if (empty.location.engine !== 'postgres') throw new Error('storeLocation(postgres) gave another engine');
      const got = await collect(scratch.dir, target(withPassword(empty.location.url)));
      const store = JSON.parse(got['store.json']!) as { stores: StoreSummary[]; problems: string[] };
      expect(store.stores).toEqual([]);
      expect(store.problems).toEqual([expect.stringMatching(/: no Outpost store here .*check that --database or OUTPOST_DATABASE_URL/)]);
      expectNoPassword(Object.values(got));
      // Not migrated: still no table at all.
      const client = new pg.Client({ connectionString: empty.location.url });
      await client.connect();
      try {
        expect((await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()")).rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      await empty.cleanup();
    }
  });

  it('`outpost diagnostics --database URL` writes the summary into the archive, the password nowhere', async () => {
    const out = join(scratch.dir, 'team-diagnostics.zip');
    const run = spawnOutpost(['--data-dir', scratch.dir, 'diagnostics', '--out', out, '--database', url], { without: ['OUTPOST_DATABASE_URL'] });
    const exit = await run.exited;
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain(describeStoreLocation({ engine: 'postgres', url }));
    const zip = unzipSync(new Uint8Array(readFileSync(out)));
    const files = Object.fromEntries(Object.entries(zip).map(([name, bytes]) => [name, strFromU8(bytes)]));
    const store = JSON.parse(files['store.json']!) as { stores: StoreSummary[]; problems: string[] };
    expect(store.problems).toEqual([]);
    expect(store.stores).toEqual([expect.objectContaining({ engine: 'postgres', tables: expect.objectContaining({ jobs: 1, job_events: 3 }) })]);
    expect((JSON.parse(files['jobs.json']!) as JobTimeline[]).map((t) => (t.job as { id: string }).id)).toEqual([JOB_ID]);
    expectNoPassword([...Object.values(files), exit.stdout, exit.stderr]);
    expect(await snapshot(plainUrl)).toEqual(before);
  });
});
