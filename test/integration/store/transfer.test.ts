// Moving a desktop's store into a team store (issue 16 item 7): a SQLite store seeded through the real
// pipeline (a VM from a payment, a failed job and its retry, a destroy, the audit they wrote) is
// exported, imported into a fresh PostgreSQL database and a fresh SQLite file, and read back table by
// table: equal except what the design changes (the target keeps its store id, VMs name their creator,
// audit ids are the target's, one store:import entry). A second import, a damaged file and an
// unfinished job are refused with nothing written.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../../electron/boot/runtime';
import type { Store as StoreType } from '../../../electron/core/db/store';
import { Store } from '../../../electron/core/db/store';
import { exportStore } from '../../../electron/core/db/transfer/export';
import { DamagedExport, seal, TRANSFER_TABLES, type TransferRow, type TransferTable } from '../../../electron/core/db/transfer/format';
import { IMPORT_ACTION, ImportClash, importStore } from '../../../electron/core/db/transfer/import';
import type { Engine } from '../../../electron/core/db/engine';
import { ENGINES, storeLocation, type TestLocation } from '../../fixtures/engines';
import { paymentRequest, paymentRow } from '../../fixtures/payments';
import { startHarness, type Harness } from '../../fixtures/pipeline';
import { storeHash } from '../../fixtures/store-hash';
import { tempDir } from '../../fixtures/temp-dir';

const ACTOR = { actor: 'root (command line)', role: 'operator' as const };
const OPTIONS = { mode: 'live' as const, outpostVersion: 'test' };

const ORDER: Record<TransferTable, string[]> = {
  agents: ['id'],
  payments: ['id'],
  jobs: ['id'],
  job_events: ['job_id', 'seq'],
  instances: ['id'],
  audit_log: ['id'],
  webhook_events: ['event_id'],
};

async function rowsOf(store: StoreType, table: TransferTable): Promise<Record<string, unknown>[]> {
  let query = store.db.selectFrom(table).selectAll();
  for (const column of ORDER[table]) query = query.orderBy(column as never);
  return query.execute();
}

async function withStore<T>(location: Parameters<typeof Store.open>[0], fn: (store: StoreType) => Promise<T>): Promise<T> {
  const store = await Store.open(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * A fresh, empty store on `engine` for the enclosing describe block, handed to `use` before its tests
 * and closed and removed after them. Every import describe starts from its own empty target, so one
 * block's rows cannot make another block's refusal pass or fail.
 */
function freshStore(engine: Engine, use: (store: StoreType) => void): void {
  let target: TestLocation | undefined;
  let store: StoreType | undefined;
  beforeAll(async () => {
    target = await storeLocation(engine);
    store = await Store.open(target.location);
    use(store);
  });
  afterAll(async () => {
    await store?.close();
    await target?.cleanup();
  });
}

/** The file as lines (without the seal), edited by `edit`, sealed again: well-formed, but not what export wrote. */
function resealed(text: string, edit: (lines: string[]) => void): string {
  const lines = text.split('\n').slice(0, -2);
  edit(lines);
  return seal(lines);
}

let h: Harness;
let work: { dir: string; cleanup: () => void };
let solo: string;
let soloId: string;
let exported: string;
let text: string;

beforeAll(async () => {
  work = tempDir('outpost-transfer-');
  h = await startHarness({ engine: 'sqlite' });
  // A VM from a payment (payment, agent, instance, job, events, audit).
  const { payment } = await h.api.call('payments:record', paymentRequest('INV-MOVE-1', { note: 'moves to the team' }));
  expect((await h.settle(payment.jobId!)).status).toBe('succeeded');
  // A failed job, its retry (jobs.retry_of: the retry must come after it in the file), then a destroy.
  await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'service unavailable' });
  const failed = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'flaky' });
  expect((await h.settle(failed.jobId)).status).toBe('failed');
  await h.control.clearFaults();
  const retry = await h.api.call('jobs:retry', { jobId: failed.jobId });
  expect((await h.settle(retry.jobId)).status).toBe('succeeded');
  const retried = (await h.runtime.store.instances.get(retry.instanceId))!;
  const destroy = await h.api.call('instances:destroy', { instanceId: retried.id, confirmName: retried.name });
  expect((await h.settle(destroy.jobId)).status).toBe('succeeded');
  await h.runtime.close();
  solo = storeFile(h.dir, 'live');
  await withStore(solo, async (store) => {
    soloId = await store.meta.storeId();
    // A payments webhook delivery, so every moved table has rows.
    await store.webhookEvents.claim('evt_move_1', 'INV-MOVE-2', new Date().toISOString(), new Date(0).toISOString());
    await store.webhookEvents.finish('evt_move_1', 'refused', 422, '{"error":"test"}');
    exported = join(work.dir, 'desktop.outpost-export');
    await exportStore(store, exported, OPTIONS);
  });
  text = readFileSync(exported, 'utf8');
}, 120_000);

afterAll(async () => {
  await h?.sim?.close();
  if (h) rmSync(h.dir, { recursive: true, force: true });
  work?.cleanup();
});

describe('outpost export', () => {
  it('writes one owner-only file: header, every row parents first, the seal; never over an existing file', async () => {
    expect(statSync(exported).mode & 0o777).toBe(0o600);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const header = lines[0]!;
    expect(header).toMatchObject({ format: 'outpost-store-export', formatVersion: 1, sourceStoreId: soloId, engine: 'sqlite', mode: 'live' });
    expect(header.schemaVersion).toBeGreaterThanOrEqual(7);
    const rows = lines.slice(1, -1) as { table: TransferTable; row: TransferRow }[];
    expect(lines.at(-1)).toMatchObject({ end: true, rows: rows.length });
    // Tables in FK order, each row once, counts as the header says.
    expect([...new Set(rows.map((r) => r.table))]).toEqual(TRANSFER_TABLES);
    await withStore(solo, async (store) => {
      for (const table of TRANSFER_TABLES) {
        const inFile = rows.filter((r) => r.table === table).map((r) => r.row);
        expect((header.counts as Record<string, number>)[table], table).toBe(inFile.length);
        expect(inFile.length, table).toBeGreaterThan(0);
        expect(sortedBy(inFile, ORDER[table]), table).toEqual(await rowsOf(store, table));
      }
    });
    // No secret travels in it: no Tailscale auth key, no cloud token (the store never holds them).
    expect(text).not.toMatch(/tskey-auth-[A-Za-z0-9]+-[A-Za-z0-9]{8,}/);
    expect(text).not.toContain(h.endpoints.hetznerToken);
    expect(text).not.toContain(h.endpoints.tailscaleClientSecret);
    // The retry after the job it retries.
    const jobs = rows.filter((r) => r.table === 'jobs').map((r) => r.row);
    const retry = jobs.find((j) => j.retry_of !== null)!;
    expect(jobs.findIndex((j) => j.id === retry.retry_of)).toBeLessThan(jobs.indexOf(retry));

    await withStore(solo, async (store) => {
      await expect(exportStore(store, exported, OPTIONS)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists') });
    });
    expect(readFileSync(exported, 'utf8')).toBe(text);
  });

  it('refuses a store with an unfinished job (and an import of a file holding one), writing nothing', async () => {
    const { dir, cleanup } = tempDir('outpost-transfer-running-');
    try {
      const file = join(dir, 'running.db');
      await withStore(file, async (store) => {
        await store.jobs.insert({ id: 'job_halfrun00001', kind: 'provision', instanceId: null, paymentId: null, params: {}, at: new Date().toISOString() });
        await store.jobs.update('job_halfrun00001', { status: 'running', step: 'create_server' }, new Date().toISOString());
        await expect(exportStore(store, join(dir, 'out'), { mode: 'sandbox', outpostVersion: 'test' })).rejects.toMatchObject({
          code: 'conflict',
          message: expect.stringContaining('job_halfrun00001 (running)'),
          hint: expect.stringContaining('Finish or cancel them on the desktop first'),
        });
      });
      expect(() => statSync(join(dir, 'out'))).toThrow();
      // The same job in a file: an import refuses it too.
      const running = resealed(text, (lines) => {
        const i = lines.findIndex((l) => l.startsWith('{"table":"jobs"'));
        lines[i] = lines[i]!.replace(/"status":"(succeeded|failed)"/, '"status":"running"');
      });
      await withStore(join(dir, 'target.db'), async (target) => {
        const before = await storeHash(target);
        await expect(importStore(target, running, { actor: ACTOR })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/unfinished job: job_\w+ \(running\)/) });
        expect(await storeHash(target)).toBe(before);
      });
    } finally {
      cleanup();
    }
  });
});

function sortedBy(rows: TransferRow[], columns: string[]): TransferRow[] {
  const key = (r: TransferRow) => columns.map((c) => r[c]);
  return [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as string) < (kb[i] as string) ? -1 : 1;
    return 0;
  });
}

describe.each(ENGINES)('outpost import into a fresh %s store', (engine) => {
  let store: StoreType;
  freshStore(engine, (s) => (store = s));

  it('brings every row: equal except the target\'s own store id, the VMs\' creator, audit ids and the import\'s own entry', async () => {
    const targetId = await store.meta.storeId();
    const report = await importStore(store, text, { actor: ACTOR });
    expect(report).toMatchObject({ sourceStoreId: soloId, mode: 'live', merged: [] });
    const source = await Store.open(solo);
    try {
      for (const table of TRANSFER_TABLES) {
        const want = await rowsOf(source, table);
        const got = await rowsOf(store, table);
        expect((report.counts as Record<string, number>)[table], table).toBe(want.length);
        if (table === 'instances') {
          // A VM the desktop created names the desktop's store: its outpost.store label, for fleet sync.
          expect(got, table).toEqual(want.map((r) => (r.origin === 'local' ? { ...r, origin_store: soloId } : r)));
        } else if (table === 'audit_log') {
          const imported = got.filter((r) => r.action !== IMPORT_ACTION);
          expect(imported.map(({ id: _id, ...r }) => r)).toEqual(want.map(({ id: _id, ...r }) => r));
          // The order of the log is kept.
          expect(imported.map((r) => r.at)).toEqual(want.map((r) => r.at));
        } else {
          expect(got, table).toEqual(want);
        }
      }
      // Not moved: the target's id stays its own; the catalog is the target's cache.
      expect(await store.meta.storeId()).toBe(targetId);
      expect(targetId).not.toBe(soloId);
      expect(await store.db.selectFrom('catalog').selectAll().execute()).toEqual([]);
      // Read through the repositories as the team server will.
      for (const vm of await source.instances.list({ includeDestroyed: true })) {
        expect(await store.instances.get(vm.id)).toEqual({ ...vm, originStore: soloId });
      }
      const paid = (await store.payments.byReference('INV-MOVE-1'))!;
      expect(paid).toEqual(await source.payments.byReference('INV-MOVE-1'));
      for (const job of await source.jobs.list()) {
        expect(await store.jobs.get(job.id)).toEqual(job);
        expect(await store.jobs.events(job.id)).toEqual(await source.jobs.events(job.id));
      }
    } finally {
      await source.close();
    }
    const [entry] = await store.audit.list({ action: IMPORT_ACTION });
    expect(entry).toMatchObject({ actor: ACTOR.actor, role: 'operator', target: soloId, outcome: 'ok', detail: { counts: report.counts } });
    expect(await store.integrityProblems()).toEqual([]);
  });

  it('a second import is refused, naming what is there already, and changes nothing', async () => {
    const before = await storeHash(store);
    const err = await importStore(store, text, { actor: ACTOR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportClash);
    expect(err).toMatchObject({ code: 'conflict', table: 'audit_log', key: `${IMPORT_ACTION} ${soloId}`, message: expect.stringContaining('already imported') });
    expect((err as ImportClash).hint).toBeTruthy();
    expect(await storeHash(store)).toBe(before);
  });

  it('a damaged file is refused before anything is written', async () => {
    const before = await storeHash(store);
    const header = JSON.parse(text.split('\n')[0]!) as { counts: Record<string, number> };
    const cases: [string, string, RegExp][] = [
      ['a line cut in the middle', text.slice(0, text.length - 30), /cut short/],
      ['the end cut off at a line', text.split('\n').slice(0, -4).join('\n') + '\n', /cut short|end mark/],
      ['a count edited', text.replace(/"jobs":\d+/, `"jobs":${header.counts.jobs! + 1}`), /checksum/],
      ['a count edited and sealed again', resealed(text, (l) => (l[0] = l[0]!.replace(/"jobs":\d+/, `"jobs":${header.counts.jobs! + 1}`))), /header counts \d+ jobs/],
      ['a row edited', text.replace('INV-MOVE-1', 'INV-MOVE-9'), /checksum/],
      ['a row dropped and sealed again', resealed(text, (l) => l.splice(l.findIndex((x) => x.startsWith('{"table":"agents"')), 1)), /header counts|does not hold/],
    ];
    for (const [what, damaged, message] of cases) {
      const err = await importStore(store, damaged, { actor: ACTOR }).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(DamagedExport);
      expect((err as DamagedExport).message, what).toMatch(message);
      expect((err as DamagedExport).code, what).toBe('corrupt');
    }
    const wrongVersion = resealed(text, (l) => (l[0] = l[0]!.replace('"formatVersion":1', '"formatVersion":2')));
    await expect(importStore(store, wrongVersion, { actor: ACTOR })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('format version 2') });
    const newerSchema = resealed(text, (l) => (l[0] = l[0]!.replace(/"schemaVersion":\d+/, '"schemaVersion":999')));
    await expect(importStore(store, newerSchema, { actor: ACTOR })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('schema version 999') });
    // An older schema too: rows written by another version may lack columns this one derives on write.
    const olderSchema = resealed(text, (l) => (l[0] = l[0]!.replace(/"schemaVersion":(\d+)/, (_, v: string) => `"schemaVersion":${Number(v) - 1}`)));
    await expect(importStore(store, olderSchema, { actor: ACTOR })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/schema version \d+; this Outpost's is \d+/) });
    const extraColumn = resealed(text, (l) => {
      l.forEach((x, i) => x.startsWith('{"table":"agents"') && (l[i] = x.replace('"row":{', '"row":{"favourite_colour":"teal",')));
    });
    await expect(importStore(store, extraColumn, { actor: ACTOR })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('agents.favourite_colour') });
    await expect(importStore(store, 'hello\nworld\n\n', { actor: ACTOR })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await storeHash(store)).toBe(before);
  });
});

describe.each(ENGINES)('importing into a %s store that holds some of it already', (engine) => {
  let store: StoreType;
  freshStore(engine, (s) => (store = s));

  it('refuses a payment reference the target has, naming the table and the key', async () => {
    await store.payments.insertIfNew(paymentRow('pay_teamown00001', 'INV-MOVE-1', { contact: null }));
    const before = await storeHash(store);
    const err = await importStore(store, text, { actor: ACTOR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportClash);
    expect(err).toMatchObject({ table: 'payments', key: 'reference INV-MOVE-1', message: expect.stringContaining('payments reference INV-MOVE-1') });
    expect(await storeHash(store)).toBe(before);
  });
});

describe.each(ENGINES)('one live server, one row, when desktops shared a fleet (%s target)', (engine) => {
  const at = '2026-03-01T10:00:00.000Z';
  let team: StoreType;
  freshStore(engine, (s) => (team = s));
  let work2: { dir: string; cleanup: () => void };
  beforeAll(() => {
    work2 = tempDir('outpost-transfer-fleet-');
  });
  afterAll(() => {
    work2?.cleanup();
  });

  const local = async (store: StoreType, id: string, name: string, serverId: number) => {
    await store.agents.insert({ id: `agt_${id}`, name, customer: 'ACME', at });
    await store.jobs.insert({ id: `job_${id}`, kind: 'provision', instanceId: `ins_${id}`, paymentId: null, params: {}, at });
    await store.jobs.update(`job_${id}`, { status: 'succeeded', finishedAt: at }, at);
    await store.instances.insert({ id: `ins_${id}`, name, agentId: `agt_${id}`, jobId: `job_${id}`, region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: name, monthlyPriceGross: null, at });
    await store.instances.update(`ins_${id}`, { status: 'running', serverId }, at);
    await store.audit.append({ at, actor: 'me', role: 'operator', action: 'provision:start', target: `ins_${id}`, targetName: name, outcome: 'ok', detail: {} });
  };
  const adopted = async (store: StoreType, id: string, name: string, serverId: number, originStore: string, originJob: string) => {
    await store.agents.insert({ id: `agt_${id}`, name, customer: null, at });
    await store.instances.insertAdopted({ id: `ins_${id}`, name, agentId: `agt_${id}`, region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: name, monthlyPriceGross: null, serverId, publicIpv4: null, publicIpv6: null, originStore, originJob, paymentRef: null, createdAt: at, at });
  };

  it('the creator\'s history replaces an adopted copy; an adopted copy in the export is left out', async () => {
    const teamId = await team.meta.storeId();
    const file = join(work2.dir, 'desktop.db');
    const out = join(work2.dir, 'desktop.export');
    let desktopId = '';
    await withStore(file, async (desktop) => {
      desktopId = await desktop.meta.storeId();
      await local(desktop, 'deskvm000001', 'desk-vm', 900_001); // the team adopted it from its labels
      await adopted(desktop, 'deskcopy0001', 'team-vm', 900_002, teamId, 'job_teamvm000001'); // the desktop adopted the team's
      await desktop.audit.append({ at, actor: 'me', role: 'operator', action: 'fleet:adopt', target: 'ins_deskcopy0001', targetName: 'team-vm', outcome: 'ok', detail: {} });
      await exportStore(desktop, out, OPTIONS);
    });
    await local(team, 'teamvm000001', 'team-vm', 900_002);
    await adopted(team, 'teamcopy0001', 'desk-vm', 900_001, desktopId, 'job_deskvm000001');
    await team.audit.append({ at, actor: 'lead', role: 'operator', action: 'fleet:sync', target: 'ins_teamcopy0001', targetName: 'desk-vm', outcome: 'ok', detail: {} });

    const report = await importStore(team, readFileSync(out, 'utf8'), { actor: ACTOR });
    expect(report.merged).toEqual([
      { serverId: 900_002, name: 'team-vm', history: 'target' },
      { serverId: 900_001, name: 'desk-vm', history: 'export' },
    ]);
    expect(report.counts).toMatchObject({ agents: 1, instances: 0, jobs: 1, audit_log: 2 });
    const live = await team.instances.list();
    expect(live.map((i) => [i.name, i.serverId, i.id]).sort()).toEqual([
      ['desk-vm', 900_001, 'ins_teamcopy0001'],
      ['team-vm', 900_002, 'ins_teamvm000001'],
    ]);
    // The desktop's VM keeps the team's row id, with the desktop's job, agent and creator.
    expect(live.find((i) => i.name === 'desk-vm')).toMatchObject({ origin: 'local', originStore: desktopId, jobId: 'job_deskvm000001', agentId: 'agt_deskvm000001', customer: 'ACME' });
    expect((await team.jobs.get('job_deskvm000001'))!.instanceId).toBe('ins_teamcopy0001');
    // The adopted copies' agents went with them; the team's own rows are untouched.
    expect(await team.agents.get('agt_teamcopy0001')).toBeUndefined();
    expect(await team.agents.get('agt_deskcopy0001')).toBeUndefined();
    expect(await team.instances.get('ins_deskcopy0001')).toBeUndefined();
    expect(live.find((i) => i.name === 'team-vm')).toMatchObject({ origin: 'local', originStore: teamId, jobId: 'job_teamvm000001' });
    // The desktop's audit follows its VMs to their rows here.
    const audit = await team.audit.list({ action: 'fleet:adopt' });
    expect(audit.map((a) => a.target)).toEqual(['ins_teamvm000001']);
    // (the team's own entry for its VM, and the desktop's for its VM, now at the team's row for it)
    expect((await team.audit.list({ action: 'provision:start' })).map((a) => a.target).sort()).toEqual(['ins_teamcopy0001', 'ins_teamvm000001']);
    expect(await team.integrityProblems()).toEqual([]);
  });

  it('refuses a server both stores say they created, and a live name taken by another server', async () => {
    const clash = async (setup: (desktop: StoreType) => Promise<void>) => {
      const dir = tempDir('outpost-transfer-clash-');
      try {
        const out = join(dir.dir, 'x.export');
        await withStore(join(dir.dir, 'd.db'), async (desktop) => {
          await setup(desktop);
          await exportStore(desktop, out, OPTIONS);
        });
        const before = await storeHash(team);
        const err = await importStore(team, readFileSync(out, 'utf8'), { actor: ACTOR }).catch((e: unknown) => e);
        expect(await storeHash(team)).toBe(before);
        return err as ImportClash;
      } finally {
        dir.cleanup();
      }
    };
    const both = await clash((d) => local(d, 'otherclaim01', 'claimed', 900_002));
    expect(both).toBeInstanceOf(ImportClash);
    expect(both).toMatchObject({ table: 'instances', key: 'server_id 900002' });
    const named = await clash((d) => local(d, 'samename0001', 'team-vm', 900_777));
    expect(named).toMatchObject({ table: 'instances', key: 'name team-vm' });
  });
});
