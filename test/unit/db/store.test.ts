// The SQLite store as a file: pragmas, migrations, integrity, and the repositories' behaviour on it.
// (The same repository behaviour on both engines is the two-engine repository suite's.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, integrityProblems } from '../../../electron/core/db/open';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { driverPackage, type Database } from '../../../electron/core/db/driver';
import { Store } from '../../../electron/core/db/store';
import { newId } from '../../../electron/core/ids';
import { paymentRow } from '../../fixtures/payments';
import { seedInstance } from '../../fixtures/seed';
import { tempDir } from '../../fixtures/temp-dir';

describe('store', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  /** The raw SQLite connection under the store (pragmas, triggers, integrity). */
  let raw: Database;
  const at = '2026-11-28T10:00:00.000Z';

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    store = await Store.open(join(dir, 'outpost.db'));
    raw = store.sqlite!;
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('migrates an empty file to the latest version with WAL, foreign keys and a busy timeout', async () => {
    expect(store.engine).toBe('sqlite');
    expect(existsSync(join(dir, 'outpost.db'))).toBe(true);
    expect(schemaVersion(raw)).toBe(MIGRATIONS.at(-1)!.version);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((n) => !n.startsWith('sqlite_'));
    expect(tables).toEqual([
      'agents', 'api_tokens', 'audit_log', 'catalog', 'instances',
      // The fleet's trigram search index (FTS5 keeps its own shadow tables).
      'instances_search', 'instances_search_config', 'instances_search_data', 'instances_search_docsize', 'instances_search_idx',
      'invites', 'job_events', 'jobs', 'meta', 'payments', 'sessions', 'users', 'webhook_events',
    ]);
    expect(await store.integrityProblems()).toEqual([]);
  });

  it('reopens an existing file without re-running migrations, and keeps its rows', async () => {
    await seedInstance(store, { name: 'keep-me' });
    const id = await store.meta.storeId();
    await store.close();
    const again = await Store.open(join(dir, 'outpost.db'));
    try {
      expect((await again.instances.list()).map((i) => i.name)).toEqual(['keep-me']);
      // The store's id (on every server it creates) is made once and kept; another store has its own.
      expect(await again.meta.storeId()).toBe(id);
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      const other = await Store.open(join(dir, 'other.db'));
      expect(await other.meta.storeId()).not.toBe(id);
      await other.close();
    } finally {
      await again.close();
    }
  });

  it('refuses a store written by a newer Outpost instead of corrupting it', async () => {
    raw.pragma('user_version = 999');
    await store.close();
    expect(() => openDatabase(join(dir, 'outpost.db'))).toThrow(/schema version 999, newer/);
    await expect(Store.open(join(dir, 'outpost.db'))).rejects.toThrow(/schema version 999, newer/);
  });

  it('picks the SQLite driver by runtime: v13 for Electron and Node >= 22, the v12 alias on Node 20', () => {
    expect(driverPackage({ node: '20.20.2' } as NodeJS.ProcessVersions)).toBe('better-sqlite3-node20');
    expect(driverPackage({ node: '22.12.0' } as NodeJS.ProcessVersions)).toBe('better-sqlite3');
    expect(driverPackage({ node: '24.1.0', electron: '45.5.0' } as NodeJS.ProcessVersions)).toBe('better-sqlite3');
  });

  it('keeps a payment reference unique: a second insert with the same reference creates nothing', async () => {
    const payment = { customer: 'ACME', contact: null, recordedAt: at };
    expect(await store.payments.insertIfNew(paymentRow(newId('pay'), 'INV-1', payment))).toBe(true);
    expect(await store.payments.insertIfNew(paymentRow(newId('pay'), 'INV-1', { ...payment, customer: 'Other' }))).toBe(false);
    expect(await store.payments.list()).toHaveLength(1);
    expect((await store.payments.byReference('INV-1'))?.customer).toBe('ACME');
  });

  it('numbers job events per job and refuses to change or delete them', async () => {
    const a = newId('job');
    const b = newId('job');
    await store.jobs.insert({ id: a, kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
    await store.jobs.insert({ id: b, kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
    expect((await store.jobs.appendEvent(a, { type: 'job_created' }, at)).seq).toBe(1);
    expect((await store.jobs.appendEvent(a, { type: 'step_started', step: 'reserve' }, at)).seq).toBe(2);
    expect((await store.jobs.appendEvent(b, { type: 'job_created' }, at)).seq).toBe(1);
    expect((await store.jobs.events(a)).map((e) => [e.seq, e.type, e.step])).toEqual([
      [1, 'job_created', null],
      [2, 'step_started', 'reserve'],
    ]);
    expect(() => raw.prepare('UPDATE job_events SET type = ? WHERE job_id = ?').run('note', a)).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM job_events WHERE job_id = ?').run(a)).toThrow(/append-only/);
  });

  it('lists an instance’s jobs, newest first, and no one else’s', async () => {
    await store.jobs.insert({ id: 'job_old', kind: 'provision', instanceId: 'ins_a', paymentId: null, params: {}, at: '2026-11-28T10:00:00.000Z' });
    await store.jobs.insert({ id: 'job_other', kind: 'provision', instanceId: 'ins_b', paymentId: null, params: {}, at: '2026-11-28T10:01:00.000Z' });
    await store.jobs.insert({ id: 'job_new', kind: 'destroy', instanceId: 'ins_a', paymentId: null, params: {}, at: '2026-11-28T10:02:00.000Z' });
    expect((await store.jobs.forInstance('ins_a')).map((j) => j.id)).toEqual(['job_new', 'job_old']);
    expect(await store.jobs.forInstance('ins_missing')).toEqual([]);
  });

  it('rejects an event for a job that does not exist (foreign keys are on)', async () => {
    await expect(store.jobs.appendEvent('job_missing', { type: 'note' }, at)).rejects.toThrow(/FOREIGN KEY/);
  });

  it('records job progress state and errors', async () => {
    const id = newId('job');
    await store.jobs.insert({ id, kind: 'provision', instanceId: null, paymentId: null, params: { region: 'fsn1' }, at });
    await store.jobs.update(id, { status: 'failed', step: 'create_server', state: { serverId: 5 }, error: { step: 'create_server', code: 'unavailable', message: 'out of stock' }, finishedAt: at }, at);
    const rec = (await store.jobs.record(id))!;
    expect(rec.job.status).toBe('failed');
    expect(rec.job.error).toEqual({ step: 'create_server', code: 'unavailable', message: 'out of stock' });
    expect(rec.state).toEqual({ serverId: 5 });
    expect(rec.params).toEqual({ region: 'fsn1' });
    expect(await store.jobs.nonTerminal()).toEqual([]);
  });

  it('filters instances by status, region and search text, hiding destroyed ones by default', async () => {
    await seedInstance(store, { name: 'alpha', region: 'fsn1', customer: 'ACME GmbH', publicIpv4: '203.0.113.7' });
    await seedInstance(store, { name: 'beta', region: 'hel1', status: 'provisioning' });
    await seedInstance(store, { name: 'gamma', region: 'fsn1', status: 'destroyed' });
    expect((await store.instances.list()).map((i) => i.name).sort()).toEqual(['alpha', 'beta']);
    expect(await store.instances.list({ includeDestroyed: true })).toHaveLength(3);
    expect((await store.instances.list({ region: 'fsn1' })).map((i) => i.name)).toEqual(['alpha']);
    expect((await store.instances.list({ status: ['provisioning'] })).map((i) => i.name)).toEqual(['beta']);
    expect((await store.instances.list({ search: 'acme' })).map((i) => i.name)).toEqual(['alpha']);
    expect((await store.instances.list({ search: 'ALPHA' })).map((i) => i.name)).toEqual(['alpha']);
    expect((await store.instances.list({ search: '203.0.113' })).map((i) => i.name)).toEqual(['alpha']);
    expect(await store.instances.list({ search: '%' })).toEqual([]);
    expect(await store.instances.countByRegion()).toEqual(new Map([['fsn1', 1], ['hel1', 1]]));
  });

  it('allows a destroyed instance name to be reused but not a live one', async () => {
    await seedInstance(store, { name: 'dup', status: 'destroyed' });
    await seedInstance(store, { name: 'dup' });
    await expect(seedInstance(store, { name: 'dup' })).rejects.toThrow(/UNIQUE/);
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.agents.insert({ id: 'agt_x', name: 'x', customer: null, at });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.agents.get('agt_x')).toBeUndefined();
  });

  it('reports integrity problems such as a dangling foreign key', async () => {
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(`INSERT INTO instances (id, name, agent_id, region, server_type, image, status, hostname, created_at, updated_at)
                VALUES ('ins_x', 'x', 'agt_missing', 'fsn1', 'cx22', 'ubuntu-24.04', 'running', 'x', ?, ?)`)
      .run(at, at);
    expect(integrityProblems(raw)).toEqual(['foreign key: instances row 1 points at a missing agents']);
    expect(await store.integrityProblems()).toEqual(['foreign key: instances row 1 points at a missing agents']);
  });

  it('appends and filters audit entries', async () => {
    expect(await store.audit.append({ at, actor: 'ops', role: 'operator', action: 'instances:destroy', target: 'ins_1', targetName: 'vm-1', outcome: 'ok', detail: {} })).toBe(1);
    expect(await store.audit.append({ at, actor: 'sup', role: 'support', action: 'instances:destroy', target: 'ins_2', targetName: null, outcome: 'refused', detail: { reason: 'read_only' } })).toBe(2);
    expect((await store.audit.list({ actor: 'sup' })).map((e) => [e.outcome, e.detail])).toEqual([['refused', { reason: 'read_only' }]]);
    expect((await store.audit.list({ actor: 'SUP' })).map((e) => e.actor)).toEqual(['sup']);
    expect((await store.audit.list({ target: 'VM-' })).map((e) => e.target)).toEqual(['ins_1']);
    expect((await store.audit.list({ target: 'ins_2' })).map((e) => e.target)).toEqual(['ins_2']);
    expect((await store.audit.list()).map((e) => e.id)).toEqual([2, 1]);
  });
});
