import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, integrityProblems } from '../../../electron/core/db/open';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { driverPackage } from '../../../electron/core/db/driver';
import { Store } from '../../../electron/core/db/store';
import { newId } from '../../../electron/core/ids';
import { seedInstance } from '../../fixtures/seed';
import { tempDir } from '../../fixtures/temp-dir';

describe('store', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  const at = '2026-11-28T10:00:00.000Z';

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    store = Store.open(join(dir, 'outpost.db'));
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('migrates an empty file to the latest version with WAL, foreign keys and a busy timeout', () => {
    expect(existsSync(join(dir, 'outpost.db'))).toBe(true);
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((n) => !n.startsWith('sqlite_'));
    expect(tables).toEqual(['agents', 'audit_log', 'catalog', 'instances', 'job_events', 'jobs', 'meta', 'payments', 'webhook_events']);
    expect(store.integrityProblems()).toEqual([]);
  });

  it('reopens an existing file without re-running migrations, and keeps its rows', () => {
    seedInstance(store, { name: 'keep-me' });
    const id = store.meta.storeId();
    store.close();
    const again = Store.open(join(dir, 'outpost.db'));
    expect(again.instances.list().map((i) => i.name)).toEqual(['keep-me']);
    // The store's id (on every server it creates) is made once and kept; another store has its own.
    expect(again.meta.storeId()).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const other = Store.open(join(dir, 'other.db'));
    expect(other.meta.storeId()).not.toBe(id);
    other.close();
    again.close();
  });

  it('refuses a store written by a newer Outpost instead of corrupting it', () => {
    store.db.pragma('user_version = 999');
    store.close();
    expect(() => openDatabase(join(dir, 'outpost.db'))).toThrow(/schema version 999, newer/);
  });

  it('picks the SQLite driver by runtime: v13 for Electron and Node >= 22, the v12 alias on Node 20', () => {
    expect(driverPackage({ node: '20.20.2' } as NodeJS.ProcessVersions)).toBe('better-sqlite3-node20');
    expect(driverPackage({ node: '22.12.0' } as NodeJS.ProcessVersions)).toBe('better-sqlite3');
    expect(driverPackage({ node: '24.1.0', electron: '45.5.0' } as NodeJS.ProcessVersions)).toBe('better-sqlite3');
  });

  it('keeps a payment reference unique: a second insert with the same reference creates nothing', () => {
    const payment = {
      reference: 'INV-1',
      customer: 'ACME',
      contact: null,
      amountCents: 990,
      currency: 'EUR',
      plan: 'cx22',
      region: 'fsn1',
      note: null,
      recordedAt: at,
    };
    expect(store.payments.insertIfNew({ id: newId('pay'), ...payment })).toBe(true);
    expect(store.payments.insertIfNew({ id: newId('pay'), ...payment, customer: 'Other' })).toBe(false);
    expect(store.payments.list()).toHaveLength(1);
    expect(store.payments.byReference('INV-1')?.customer).toBe('ACME');
  });

  it('numbers job events per job and refuses to change or delete them', () => {
    const a = newId('job');
    const b = newId('job');
    store.jobs.insert({ id: a, kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
    store.jobs.insert({ id: b, kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
    expect(store.jobs.appendEvent(a, { type: 'job_created' }, at).seq).toBe(1);
    expect(store.jobs.appendEvent(a, { type: 'step_started', step: 'reserve' }, at).seq).toBe(2);
    expect(store.jobs.appendEvent(b, { type: 'job_created' }, at).seq).toBe(1);
    expect(store.jobs.events(a).map((e) => [e.seq, e.type, e.step])).toEqual([
      [1, 'job_created', null],
      [2, 'step_started', 'reserve'],
    ]);
    expect(() => store.db.prepare('UPDATE job_events SET type = ? WHERE job_id = ?').run('note', a)).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM job_events WHERE job_id = ?').run(a)).toThrow(/append-only/);
  });

  it('lists an instance’s jobs, newest first, and no one else’s', () => {
    store.jobs.insert({ id: 'job_old', kind: 'provision', instanceId: 'ins_a', paymentId: null, params: {}, at: '2026-11-28T10:00:00.000Z' });
    store.jobs.insert({ id: 'job_other', kind: 'provision', instanceId: 'ins_b', paymentId: null, params: {}, at: '2026-11-28T10:01:00.000Z' });
    store.jobs.insert({ id: 'job_new', kind: 'destroy', instanceId: 'ins_a', paymentId: null, params: {}, at: '2026-11-28T10:02:00.000Z' });
    expect(store.jobs.forInstance('ins_a').map((j) => j.id)).toEqual(['job_new', 'job_old']);
    expect(store.jobs.forInstance('ins_missing')).toEqual([]);
  });

  it('rejects an event for a job that does not exist (foreign keys are on)', () => {
    expect(() => store.jobs.appendEvent('job_missing', { type: 'note' }, at)).toThrow(/FOREIGN KEY/);
  });

  it('records job progress state and errors', () => {
    const id = newId('job');
    store.jobs.insert({ id, kind: 'provision', instanceId: null, paymentId: null, params: { region: 'fsn1' }, at });
    store.jobs.update(id, { status: 'failed', step: 'create_server', state: { serverId: 5 }, error: { step: 'create_server', code: 'unavailable', message: 'out of stock' }, finishedAt: at }, at);
    const rec = store.jobs.record(id)!;
    expect(rec.job.status).toBe('failed');
    expect(rec.job.error).toEqual({ step: 'create_server', code: 'unavailable', message: 'out of stock' });
    expect(rec.state).toEqual({ serverId: 5 });
    expect(rec.params).toEqual({ region: 'fsn1' });
    expect(store.jobs.nonTerminal()).toEqual([]);
  });

  it('filters instances by status, region and search text, hiding destroyed ones by default', () => {
    seedInstance(store, { name: 'alpha', region: 'fsn1', customer: 'ACME GmbH', publicIpv4: '203.0.113.7' });
    seedInstance(store, { name: 'beta', region: 'hel1', status: 'provisioning' });
    seedInstance(store, { name: 'gamma', region: 'fsn1', status: 'destroyed' });
    expect(store.instances.list().map((i) => i.name).sort()).toEqual(['alpha', 'beta']);
    expect(store.instances.list({ includeDestroyed: true })).toHaveLength(3);
    expect(store.instances.list({ region: 'fsn1' }).map((i) => i.name)).toEqual(['alpha']);
    expect(store.instances.list({ status: ['provisioning'] }).map((i) => i.name)).toEqual(['beta']);
    expect(store.instances.list({ search: 'acme' }).map((i) => i.name)).toEqual(['alpha']);
    expect(store.instances.list({ search: '203.0.113' }).map((i) => i.name)).toEqual(['alpha']);
    expect(store.instances.list({ search: '%' })).toEqual([]);
    expect(store.instances.countByRegion()).toEqual(new Map([['fsn1', 1], ['hel1', 1]]));
  });

  it('allows a destroyed instance name to be reused but not a live one', () => {
    seedInstance(store, { name: 'dup', status: 'destroyed' });
    seedInstance(store, { name: 'dup' });
    expect(() => seedInstance(store, { name: 'dup' })).toThrow(/UNIQUE/);
  });

  it('rolls a failed transaction back completely', () => {
    expect(() =>
      store.transaction(() => {
        store.agents.insert({ id: 'agt_x', name: 'x', customer: null, at });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.agents.get('agt_x')).toBeUndefined();
  });

  it('reports integrity problems such as a dangling foreign key', () => {
    store.db.pragma('foreign_keys = OFF');
    store.db
      .prepare(`INSERT INTO instances (id, name, agent_id, region, server_type, image, status, hostname, created_at, updated_at)
                VALUES ('ins_x', 'x', 'agt_missing', 'fsn1', 'cx22', 'ubuntu-24.04', 'running', 'x', ?, ?)`)
      .run(at, at);
    expect(integrityProblems(store.db)).toEqual(['foreign key: instances row 1 points at a missing agents']);
  });

  it('appends and filters audit entries', () => {
    store.audit.append({ at, actor: 'ops', role: 'operator', action: 'instances:destroy', target: 'ins_1', targetName: 'vm-1', outcome: 'ok', detail: {} });
    store.audit.append({ at, actor: 'sup', role: 'support', action: 'instances:destroy', target: 'ins_2', targetName: null, outcome: 'refused', detail: { reason: 'read_only' } });
    expect(store.audit.list({ actor: 'sup' }).map((e) => [e.outcome, e.detail])).toEqual([['refused', { reason: 'read_only' }]]);
    expect(store.audit.list()).toHaveLength(2);
  });
});
