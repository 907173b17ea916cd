// The fleet's queries on SQLite read indexes, not the table (issue 14 item 6). Each instances:page
// query is captured as it is sent and run through EXPLAIN QUERY PLAN: the default view and every sort
// walk an index in order (no temporary B-tree sorting the fleet, no plain scan of instances), counts
// come from indexes, and a search word is looked up in the trigram index. Without ANALYZE statistics
// (Outpost never runs it) SQLite's plan does not depend on the number of rows, so a small store shows
// the plan the bench's 100,000 use (bench/scenarios/fleet-ui.ts records that one too).
import { join } from 'node:path';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Req } from '../../../shared/contract';
import { FLEET_SORT_KEYS } from '../../../shared/fleet-query';
import type { Database } from '../../../electron/core/db/driver';
import { InstancePages, NARROW } from '../../../electron/core/db/repos/instance-page';
import { Store } from '../../../electron/core/db/store';
import type { Tables } from '../../../electron/core/db/tables';
import { tempDir } from '../../fixtures/temp-dir';

let store: Store;
let raw: Database;
let cleanup: () => void;

beforeAll(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  store = await Store.open(join(dir.dir, 'outpost.db'));
  raw = store.sqlite!;
  const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  await store.transaction(async (tx) => {
    for (let n = 0; n < 60; n++) {
      await tx.agents.insert({ id: `agt_${n}`, name: `agent-${n % 7}`, customer: n % 2 ? 'ACME' : 'Globex', at: at(n) });
      await tx.instances.insert({ id: `ins_${n}`, name: `vm-${n}`, agentId: `agt_${n}`, jobId: null, region: n % 3 ? 'fsn1' : 'hel1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: `vm-${n}`, monthlyPriceGross: '4.51', at: at(n) });
      await tx.instances.update(`ins_${n}`, { status: n % 9 ? 'running' : 'destroyed', publicIpv4: `10.0.0.${n}`, tailnetIp: `100.64.0.${n}`, drift: n % 13 === 0 }, at(n));
    }
  });
});
afterAll(async () => {
  await store.close();
  cleanup();
});

/** The plans of every statement one page query sends, by their SQL. */
async function plans(q: Req<'instances:page'>): Promise<{ sql: string; plan: string[] }[]> {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }), log: (e) => void (e.level === 'query' && sent.push(e.query)) });
  await new InstancePages(db, 'sqlite').page(q, async () => []);
  return sent.map((c) => ({
    sql: c.sql,
    plan: (raw.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail),
  }));
}

const windowPlan = (all: { sql: string; plan: string[] }[]) => all.find((p) => p.sql.startsWith('select "i"."id" as id'))!.plan;

describe('instances:page on SQLite', () => {
  it('walks the age index for the default view: no sort, no read of the table, counts from indexes', async () => {
    const all = await plans({ limit: 100, offset: 50 });
    expect(windowPlan(all)).toEqual(['SCAN i USING COVERING INDEX instances_by_age']);
    const counts = all.find((p) => p.sql.includes('count(*)'))!.plan.join(' | ');
    expect(counts).toContain('instances_by_status (status=?)');
    expect(counts).toContain('COVERING INDEX instances_drifted');
    for (const p of all) expect(p.plan.join(' | '), p.sql).not.toMatch(/TEMP B-TREE|SCAN (i|instances)$/);
  });

  it('walks one index per sort, both ways', async () => {
    for (const sort of FLEET_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const plan = windowPlan(await plans({ limit: 100, sort, dir })).join(' | ');
        expect(plan, `${sort} ${dir}`).not.toContain('TEMP B-TREE FOR ORDER BY');
        expect(plan, `${sort} ${dir}`).toMatch(/^SCAN i USING (COVERING )?INDEX instances_by_\w+$/);
      }
    }
  });

  it('seeks the status and region filters in their indexes, in age order', async () => {
    expect(windowPlan(await plans({ limit: 100, status: ['running'] }))).toEqual(['SEARCH i USING COVERING INDEX instances_by_status (status=?)']);
    expect(windowPlan(await plans({ limit: 100, region: 'hel1' }))).toEqual(['SEARCH i USING COVERING INDEX instances_by_region (region=?)']);
  });

  it(`looks a word up in the trigram index, and reads only the rows it finds when they are few (≤ ${NARROW})`, async () => {
    const all = await plans({ limit: 100, search: 'vm-4' });
    expect(all[1]!.plan.join(' | ')).toContain('SCAN instances_search VIRTUAL TABLE');
    // The rows the index found, by rowid: only they are read and sorted.
    expect(windowPlan(all)).toEqual(['SEARCH i USING INTEGER PRIMARY KEY (rowid=?)', 'LIST SUBQUERY 1', 'SCAN json_each VIRTUAL TABLE INDEX 1:', 'USE TEMP B-TREE FOR ORDER BY']);
    // No plain scan of the table (a scan of an index is SCAN … USING … INDEX).
    for (const p of all) expect(p.plan.join(' | '), p.sql).not.toMatch(/SCAN (i|instances)( \||$)/);
  });
});
