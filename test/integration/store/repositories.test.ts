// The repositories on both engines (issue 16): every assertion runs against a SQLite file and a
// PostgreSQL database, so a query that only one engine understands — or understands differently
// (case, NULL order, integer types, LIKE wildcards) — fails here. The SQLite-only parts (pragmas,
// file migrations, integrity_check) are test/unit/db/store.test.ts.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../../electron/core/db/migrations-postgres';
import { Store } from '../../../electron/core/db/store';
import type { NewAuditEntry } from '../../../electron/core/db/repos/audit';
import type { NewPayment } from '../../../electron/core/db/repos/payments';
import { ENGINES, storeLocation, type TestLocation } from '../../fixtures/engines';
import { paymentRow } from '../../fixtures/payments';
import { seedInstance } from '../../fixtures/seed';

const at = '2026-11-28T10:00:00.000Z';
const later = '2026-11-28T10:05:00.000Z';

// Recorded at the fixed `at` the read-back and ordering tests compare against.
const payment = (id: string, reference: string, over: Partial<NewPayment> = {}): NewPayment => paymentRow(id, reference, { recordedAt: at, ...over });

const auditEntry = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
  at,
  actor: 'ops',
  role: 'operator',
  action: 'instances:destroy',
  target: null,
  targetName: null,
  outcome: 'ok',
  detail: {},
  ...over,
});

describe.each(ENGINES)('the repositories on %s', (engine) => {
  let place: TestLocation;
  let store: Store;

  beforeEach(async () => {
    place = await storeLocation(engine);
    store = await Store.open(place.location);
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  const newJob = (id: string, over: { instanceId?: string | null; paymentId?: string | null; retryOf?: string | null; groupId?: string | null; at?: string } = {}) =>
    store.jobs.insert({ id, kind: 'provision', instanceId: over.instanceId ?? null, paymentId: over.paymentId ?? null, params: { region: 'fsn1' }, at: over.at ?? at, retryOf: over.retryOf ?? null, groupId: over.groupId ?? null });

  it('opens on the engine it was given', () => {
    expect(store.engine).toBe(engine);
    expect(store.sqlite === null).toBe(engine === 'postgres');
  });

  it('agents: inserted pending, their status changes with its time', async () => {
    await store.agents.insert({ id: 'agt_1', name: 'Zoë 🚀 research', customer: 'Müller & Söhne', at });
    expect(await store.agents.get('agt_1')).toEqual({ id: 'agt_1', name: 'Zoë 🚀 research', customer: 'Müller & Söhne', status: 'pending', created_at: at, updated_at: at });
    await store.agents.setStatus('agt_1', 'active', later);
    expect(await store.agents.get('agt_1')).toMatchObject({ status: 'active', created_at: at, updated_at: later });
    expect(await store.agents.get('agt_missing')).toBeUndefined();
  });

  describe('instances', () => {
    it('inserts, patches and reads one back with every field, large server ids as numbers', async () => {
      await store.agents.insert({ id: 'agt_a', name: 'Build Bot', customer: 'ACME GmbH', at });
      await store.instances.insert({ id: 'ins_a', name: 'build-bot-1', agentId: 'agt_a', jobId: 'job_a', region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: 'build-bot-1', monthlyPriceGross: '4.5101000000', at });
      const storeId = await store.meta.storeId();
      expect(await store.instances.get('ins_a')).toEqual({
        id: 'ins_a',
        name: 'build-bot-1',
        agentId: 'agt_a',
        agentName: 'Build Bot',
        customer: 'ACME GmbH',
        region: 'fsn1',
        serverType: 'cx22',
        image: 'ubuntu-24.04',
        status: 'provisioning',
        serverId: null,
        publicIpv4: null,
        publicIpv6: null,
        tailnetIp: null,
        nodeId: null,
        hostname: 'build-bot-1',
        enrollment: 'pending',
        lastSeen: null,
        drift: false,
        monthlyPriceGross: '4.5101000000',
        jobId: 'job_a',
        origin: 'local',
        originStore: storeId,
        adoptedAt: null,
        paymentReference: null,
        createdAt: at,
        updatedAt: at,
      });

      const serverId = 2 ** 40 + 7; // Hetzner's ids pass 2^32: BIGINT on PostgreSQL, read back as a number
      await store.instances.update('ins_a', { status: 'running', serverId, publicIpv4: '203.0.113.7', publicIpv6: '2001:db8::1', tailnetIp: '100.64.0.9', nodeId: 'n1', keyId: 'k1', enrollment: 'online', lastSeen: later, drift: true, driftSince: later }, later);
      expect(await store.instances.get('ins_a')).toMatchObject({ status: 'running', serverId, publicIpv4: '203.0.113.7', publicIpv6: '2001:db8::1', tailnetIp: '100.64.0.9', nodeId: 'n1', enrollment: 'online', lastSeen: later, drift: true, updatedAt: later });
      expect(await store.instances.keyId('ins_a')).toBe('k1');
      expect(await store.instances.keyId('ins_missing')).toBeNull();
      await store.instances.update('ins_a', { drift: false, keyId: null }, later);
      expect((await store.instances.get('ins_a'))?.drift).toBe(false);
      expect(await store.instances.keyId('ins_a')).toBeNull();
      // An empty patch changes nothing, not even the update time.
      await store.instances.update('ins_a', {}, '2027-01-01T00:00:00.000Z');
      expect((await store.instances.get('ins_a'))?.updatedAt).toBe(later);
      expect((await store.instances.liveByName('build-bot-1'))?.id).toBe('ins_a');
      expect(await store.instances.liveByName('nobody')).toBeUndefined();
      expect(await store.instances.get('ins_missing')).toBeUndefined();

      // A local instance's payment reference comes from the payment that points at it.
      await store.payments.insertIfNew(payment('pay_a', 'INV-A'));
      await store.payments.update('pay_a', { instanceId: 'ins_a' });
      expect((await store.instances.get('ins_a'))?.paymentReference).toBe('INV-A');
    });

    it('keeps what an adopted server\'s labels said', async () => {
      await store.agents.insert({ id: 'agt_b', name: 'lost bot', customer: null, at });
      await store.instances.insertAdopted({
        id: 'ins_b',
        name: 'lost-bot',
        agentId: 'agt_b',
        region: 'nbg1',
        serverType: 'cx22',
        image: 'ubuntu-24.04',
        hostname: 'lost-bot',
        monthlyPriceGross: null,
        serverId: 4_294_967_296_123,
        publicIpv4: '198.51.100.4',
        publicIpv6: null,
        originStore: 'deadbeef00000000',
        originJob: 'job_lost00000001',
        paymentRef: 'INV-ELSEWHERE',
        createdAt: '2026-11-01T00:00:00.000Z',
        at,
      });
      expect(await store.instances.get('ins_b')).toMatchObject({
        status: 'running',
        origin: 'adopted',
        originStore: 'deadbeef00000000',
        paymentReference: 'INV-ELSEWHERE',
        serverId: 4_294_967_296_123,
        jobId: null,
        adoptedAt: at,
        createdAt: '2026-11-01T00:00:00.000Z',
        updatedAt: at,
      });
      expect(await store.instances.originJob('ins_b')).toBe('job_lost00000001');
      expect(await store.instances.originJob('ins_missing')).toBeNull();
    });

    it('filters by status, region and search text (any case, Unicode, % and _ taken literally), newest first', async () => {
      await seedInstance(store, { name: 'alpha', region: 'fsn1', customer: 'ACME GmbH', publicIpv4: '203.0.113.7', at: '2026-11-28T10:00:00.000Z' });
      await seedInstance(store, { name: 'beta', region: 'hel1', status: 'provisioning', agent: 'Zoë 🚀 research', at: '2026-11-28T10:01:00.000Z' });
      await seedInstance(store, { name: 'gamma', region: 'fsn1', status: 'destroyed', at: '2026-11-28T10:02:00.000Z' });
      await seedInstance(store, { name: 'delta', region: 'nbg1', agent: 'load_50%', tailnetIp: '100.64.1.2', at: '2026-11-28T10:03:00.000Z' });
      const names = async (query?: Parameters<Store['instances']['list']>[0]) => (await store.instances.list(query)).map((i) => i.name);
      expect(await names()).toEqual(['delta', 'beta', 'alpha']);
      expect(await names({ includeDestroyed: true })).toEqual(['delta', 'gamma', 'beta', 'alpha']);
      expect(await names({ region: 'fsn1' })).toEqual(['alpha']);
      expect(await names({ status: ['provisioning', 'destroyed'] })).toEqual(['gamma', 'beta']);
      expect(await names({ search: 'acme' })).toEqual(['alpha']);
      expect(await names({ search: 'ALPH' })).toEqual(['alpha']);
      expect(await names({ search: 'zoë 🚀' })).toEqual(['beta']);
      expect(await names({ search: '203.0.113' })).toEqual(['alpha']);
      expect(await names({ search: '100.64.1' })).toEqual(['delta']);
      expect(await names({ search: '%' })).toEqual(['delta']);
      expect(await names({ search: '_50%' })).toEqual(['delta']);
      expect(await names({ search: 'a_5' })).toEqual([]); // a wildcard `_` would match "ad_5"
      expect(await names({ search: 'l%5' })).toEqual([]); // a wildcard `%` would match "load_5"
      expect(await names({ search: 'gamma' })).toEqual([]);
      expect(await store.instances.countByRegion()).toEqual(new Map([['fsn1', 1], ['hel1', 1], ['nbg1', 1]]));
    });

    it('orders instances created at the same instant by id', async () => {
      for (const name of ['c-one', 'a-two', 'b-three']) await seedInstance(store, { name, at });
      const listed = await store.instances.list();
      expect(listed.map((i) => i.id)).toEqual(listed.map((i) => i.id).sort());
    });

    it('lets a destroyed instance\'s name and server id be reused, never a live one\'s', async () => {
      await seedInstance(store, { name: 'dup', status: 'destroyed', serverId: 77 });
      await seedInstance(store, { name: 'dup', serverId: 77 });
      await expect(seedInstance(store, { name: 'dup' })).rejects.toThrow(/unique|duplicate key/i);
      await expect(seedInstance(store, { name: 'other', serverId: 77 })).rejects.toThrow(/unique|duplicate key/i);
      expect((await store.instances.list({ includeDestroyed: true })).map((i) => i.name)).toEqual(['dup', 'dup']);
    });
  });

  describe('jobs', () => {
    it('inserts a job and reads it, its parameters and progress state back', async () => {
      await newJob('job_1', { instanceId: 'ins_1', groupId: 'grp_1' });
      expect(await store.jobs.get('job_1')).toEqual({
        id: 'job_1',
        kind: 'provision',
        status: 'queued',
        step: null,
        instanceId: 'ins_1',
        paymentId: null,
        error: null,
        retryOf: null,
        retriedBy: null,
        groupId: 'grp_1',
        createdAt: at,
        updatedAt: at,
        finishedAt: null,
      });
      await store.jobs.update('job_1', { status: 'failed', step: 'create_server', state: { serverId: 2 ** 40, note: 'Zoë' }, error: { step: 'create_server', code: 'unavailable', message: 'out of stock' }, finishedAt: later }, later);
      const record = (await store.jobs.record('job_1'))!;
      expect(record.job).toMatchObject({ status: 'failed', step: 'create_server', error: { step: 'create_server', code: 'unavailable', message: 'out of stock' }, finishedAt: later, updatedAt: later });
      expect(record.params).toEqual({ region: 'fsn1' });
      expect(record.state).toEqual({ serverId: 2 ** 40, note: 'Zoë' });
      expect(record.cancelRequested).toBe(false);
      await store.jobs.requestCancel('job_1', later);
      expect((await store.jobs.record('job_1'))?.cancelRequested).toBe(true);
      await store.jobs.update('job_1', { error: null }, later);
      expect((await store.jobs.get('job_1'))?.error).toBeNull();
      expect(await store.jobs.get('job_missing')).toBeUndefined();
      expect(await store.jobs.record('job_missing')).toBeUndefined();
    });

    it('numbers events per job from 1, in order, and returns them in order after a given seq', async () => {
      await newJob('job_a');
      await newJob('job_b');
      const first = await store.jobs.appendEvent('job_a', { type: 'job_created' }, at);
      expect(first).toEqual({ jobId: 'job_a', seq: 1, at, type: 'job_created', step: null, durationMs: null, data: {} });
      expect((await store.jobs.appendEvent('job_a', { type: 'step_started', step: 'reserve' }, at)).seq).toBe(2);
      expect((await store.jobs.appendEvent('job_b', { type: 'job_created' }, at)).seq).toBe(1);
      expect((await store.jobs.appendEvent('job_a', { type: 'step_succeeded', step: 'reserve', durationMs: 2 ** 33, data: { who: 'Zoë 🚀' } }, later)).seq).toBe(3);
      expect((await store.jobs.events('job_a')).map((e) => [e.seq, e.type, e.step])).toEqual([
        [1, 'job_created', null],
        [2, 'step_started', 'reserve'],
        [3, 'step_succeeded', 'reserve'],
      ]);
      expect(await store.jobs.events('job_a', 2)).toEqual([{ jobId: 'job_a', seq: 3, at: later, type: 'step_succeeded', step: 'reserve', durationMs: 2 ** 33, data: { who: 'Zoë 🚀' } }]);
      expect(await store.jobs.events('job_missing')).toEqual([]);
    });

    it('gives concurrent appends to one job distinct, gapless numbers', async () => {
      await newJob('job_c');
      const appended = await Promise.all(Array.from({ length: 12 }, (_, i) => store.jobs.appendEvent('job_c', { type: 'note', data: { i } }, at)));
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await store.jobs.events('job_c')).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('refuses an event for a job that does not exist, and any change to the timeline', async () => {
      await expect(store.jobs.appendEvent('job_missing', { type: 'note' }, at)).rejects.toThrow(/foreign key/i);
      await newJob('job_a');
      await store.jobs.appendEvent('job_a', { type: 'job_created' }, at);
      await expect(sql`UPDATE job_events SET type = 'note' WHERE job_id = 'job_a'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM job_events WHERE job_id = 'job_a'`.execute(store.db)).rejects.toThrow(/append-only/);
      expect(await store.jobs.events('job_a')).toHaveLength(1);
    });

    it('links a retry both ways and retries a job once', async () => {
      await newJob('job_failed');
      await newJob('job_retry', { retryOf: 'job_failed', at: later });
      expect(await store.jobs.get('job_failed')).toMatchObject({ retryOf: null, retriedBy: 'job_retry' });
      expect(await store.jobs.get('job_retry')).toMatchObject({ retryOf: 'job_failed', retriedBy: null });
      await expect(newJob('job_retry2', { retryOf: 'job_failed', at: later })).rejects.toThrow(/unique|duplicate key/i);
      expect(await store.jobs.get('job_retry2')).toBeUndefined();
    });

    it('lists jobs newest first (ties by id), by status, per instance, and the unfinished ones', async () => {
      await newJob('job_b', { instanceId: 'ins_a', at: '2026-11-28T10:00:00.000Z' });
      await newJob('job_a', { instanceId: 'ins_a', at: '2026-11-28T10:00:00.000Z' });
      await newJob('job_c', { instanceId: 'ins_b', at: '2026-11-28T10:01:00.000Z' });
      await newJob('job_d', { instanceId: 'ins_a', at: '2026-11-28T10:02:00.000Z' });
      await store.jobs.update('job_c', { status: 'running' }, later);
      await store.jobs.update('job_d', { status: 'succeeded', finishedAt: later }, later);
      expect((await store.jobs.list()).map((j) => j.id)).toEqual(['job_d', 'job_c', 'job_a', 'job_b']);
      expect((await store.jobs.list({ limit: 2 })).map((j) => j.id)).toEqual(['job_d', 'job_c']);
      expect((await store.jobs.list({ statuses: ['running', 'succeeded'] })).map((j) => j.id)).toEqual(['job_d', 'job_c']);
      expect((await store.jobs.forInstance('ins_a')).map((j) => j.id)).toEqual(['job_d', 'job_a', 'job_b']);
      expect(await store.jobs.forInstance('ins_missing')).toEqual([]);
      expect((await store.jobs.nonTerminal()).map((j) => j.id)).toEqual(['job_c', 'job_a', 'job_b']);
    });
  });

  describe('payments', () => {
    it('keeps a reference unique: a second insert with it creates nothing', async () => {
      expect(await store.payments.insertIfNew(payment('pay_1', 'INV-1'))).toBe(true);
      expect(await store.payments.insertIfNew(payment('pay_2', 'INV-1', { customer: 'Other' }))).toBe(false);
      expect(await store.payments.list()).toHaveLength(1);
      expect((await store.payments.byReference('INV-1'))?.customer).toBe('ACME GmbH');
      expect(await store.payments.get('pay_2')).toBeUndefined();
      expect(await store.payments.byReference('INV-missing')).toBeUndefined();
    });

    it('reads back every field; an update changes only what it names', async () => {
      await store.payments.insertIfNew(payment('pay_1', 'INV-1', { amountCents: 123_456_789, note: 'Zoë 🚀', customer: 'Müller & Söhne' }));
      expect(await store.payments.get('pay_1')).toEqual({
        id: 'pay_1',
        reference: 'INV-1',
        customer: 'Müller & Söhne',
        contact: 'ops@acme.example',
        amountCents: 123_456_789,
        currency: 'EUR',
        plan: 'cx22',
        region: 'fsn1',
        note: 'Zoë 🚀',
        status: 'recorded',
        jobId: null,
        instanceId: null,
        recordedAt: at,
        enrolledAt: null,
        timeToEnrolledMs: null,
        withinTarget: null,
      });
      await store.payments.update('pay_1', { status: 'provisioning', jobId: 'job_1' });
      await store.payments.update('pay_1', { instanceId: 'ins_1' });
      await store.payments.update('pay_1', { status: 'fulfilled', enrolledAt: later });
      expect(await store.payments.byReference('INV-1')).toMatchObject({ status: 'fulfilled', jobId: 'job_1', instanceId: 'ins_1', enrolledAt: later, timeToEnrolledMs: 5 * 60_000, withinTarget: true });
    });

    it('lists newest first, ties by id, up to a limit', async () => {
      await store.payments.insertIfNew(payment('pay_b', 'INV-B', { recordedAt: at }));
      await store.payments.insertIfNew(payment('pay_a', 'INV-A', { recordedAt: at }));
      await store.payments.insertIfNew(payment('pay_c', 'INV-C', { recordedAt: later }));
      expect((await store.payments.list()).map((p) => p.id)).toEqual(['pay_c', 'pay_a', 'pay_b']);
      expect((await store.payments.list(2)).map((p) => p.id)).toEqual(['pay_c', 'pay_a']);
    });
  });

  describe('audit', () => {
    beforeEach(async () => {
      await store.audit.append(auditEntry({ at: '2026-11-28T10:00:00.000Z', actor: 'Ada Lovelace', target: 'ins_1', targetName: 'Zoë 🚀 research', detail: { quantity: 2 } }));
      await store.audit.append(auditEntry({ at: '2026-11-28T11:00:00.000Z', actor: 'Müller', role: 'support', target: 'ins_2', outcome: 'refused', detail: { reason: 'read_only' } }));
      await store.audit.append(auditEntry({ at: '2026-11-28T12:00:00.000Z', actor: 'load_50%', action: 'settings:update', target: 'settings', targetName: 'sshKeys' }));
    });

    it('appends with increasing ids and lists newest first with the detail intact', async () => {
      const id = await store.audit.append(auditEntry({ at: later, actor: 'x' }));
      expect(typeof id).toBe('number');
      const all = await store.audit.list();
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
      expect(all[0]).toEqual({ id, at: later, actor: 'x', role: 'operator', action: 'instances:destroy', target: null, targetName: null, outcome: 'ok', detail: {} });
      expect(all.find((e) => e.actor === 'Müller')).toMatchObject({ role: 'support', outcome: 'refused', detail: { reason: 'read_only' } });
      expect(await store.audit.list({ limit: 2 })).toHaveLength(2);
    });

    it('matches actor and target name in part and in any case, with Unicode and % and _ taken literally', async () => {
      const actors = async (filter: Parameters<Store['audit']['list']>[0]) => (await store.audit.list(filter)).map((e) => e.actor);
      expect(await actors({ actor: 'ADA' })).toEqual(['Ada Lovelace']);
      expect(await actors({ actor: 'love' })).toEqual(['Ada Lovelace']);
      expect(await actors({ actor: 'müll' })).toEqual(['Müller']);
      expect(await actors({ actor: '%' })).toEqual(['load_50%']);
      expect(await actors({ actor: '_' })).toEqual(['load_50%']);
      expect(await actors({ actor: 'a_5' })).toEqual([]);
      expect(await actors({ actor: 'd%' })).toEqual([]);
      // A target by its id (whole) or its name (in part, any case).
      expect(await actors({ target: 'ins_1' })).toEqual(['Ada Lovelace']);
      expect(await actors({ target: 'ins_' })).toEqual([]);
      expect(await actors({ target: 'zoë 🚀' })).toEqual(['Ada Lovelace']);
      expect(await actors({ target: 'SSHKEYS' })).toEqual(['load_50%']);
    });

    it('filters by action, outcome and a time window given in any offset', async () => {
      const actors = async (filter: Parameters<Store['audit']['list']>[0]) => (await store.audit.list(filter)).map((e) => e.actor);
      expect(await actors({ action: 'settings:update' })).toEqual(['load_50%']);
      expect(await actors({ outcome: 'refused' })).toEqual(['Müller']);
      // 11:30+01:00 is 10:30Z: compared as written, it would leave out the 11:00Z entry.
      expect(await actors({ from: '2026-11-28T11:30:00+01:00' })).toEqual(['load_50%', 'Müller']);
      expect(await actors({ to: '2026-11-28T11:00:00Z' })).toEqual(['Müller', 'Ada Lovelace']);
      expect(await actors({ from: '2026-11-28T10:30:00Z', to: '2026-11-28T11:30:00Z', outcome: 'refused', actor: 'mü' })).toEqual(['Müller']);
    });
  });

  it('catalog: replaces one kind at a time, lists it by name, knows when it was refreshed', async () => {
    expect(await store.catalog.list('location')).toEqual([]);
    expect(await store.catalog.refreshedAt('location')).toBeNull();
    await store.catalog.replace('location', [{ name: 'hel1', data: { name: 'hel1', city: 'Helsinki' } }, { name: 'fsn1', data: { name: 'fsn1', city: 'Falkenstein' } }], at);
    await store.catalog.replace('server_type', [{ name: 'cx22', data: { name: 'cx22', cores: 2 } }], at);
    expect(await store.catalog.list('location')).toEqual([{ name: 'fsn1', city: 'Falkenstein' }, { name: 'hel1', city: 'Helsinki' }]);
    expect(await store.catalog.refreshedAt('location')).toBe(at);
    await store.catalog.replace('location', [{ name: 'nbg1', data: { name: 'nbg1', city: 'Nürnberg' } }], later);
    expect(await store.catalog.list('location')).toEqual([{ name: 'nbg1', city: 'Nürnberg' }]);
    expect(await store.catalog.refreshedAt('location')).toBe(later);
    expect(await store.catalog.list('server_type')).toEqual([{ name: 'cx22', cores: 2 }]);
    expect(await store.catalog.refreshedAt('server_type')).toBe(at);
  });

  it('meta: the store id is made once, kept across reopening, and differs between stores', async () => {
    const id = await store.meta.storeId();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    await store.close();
    store = await Store.open(place.location);
    expect(await store.meta.storeId()).toBe(id);
    const other = await storeLocation(engine);
    const otherStore = await Store.open(other.location);
    try {
      expect(await otherStore.meta.storeId()).not.toBe(id);
    } finally {
      await otherStore.close();
      await other.cleanup();
    }
  });

  it('webhook events: one claim per id, a stale pending claim taken over, the first answer kept, pruned when finished', async () => {
    const stale = '2026-11-28T09:00:00.000Z';
    expect(await store.webhookEvents.claim('evt_1', 'INV-1', at, stale)).toBe(true);
    expect(await store.webhookEvents.claim('evt_1', 'INV-1', at, stale)).toBe(false);
    expect(await store.webhookEvents.get('evt_1')).toEqual({ eventId: 'evt_1', receivedAt: at, outcome: 'pending', reference: 'INV-1', status: null, answer: null });
    // Its process died mid-delivery: a claim after the stale mark takes it over.
    expect(await store.webhookEvents.claim('evt_1', 'INV-1b', later, '2026-11-28T10:01:00.000Z')).toBe(true);
    expect(await store.webhookEvents.get('evt_1')).toMatchObject({ receivedAt: later, reference: 'INV-1b', outcome: 'pending' });
    await store.webhookEvents.finish('evt_1', 'recorded', 201, '{"ok":true}');
    await store.webhookEvents.finish('evt_1', 'conflict', 409, '{"ok":false}');
    expect(await store.webhookEvents.get('evt_1')).toMatchObject({ outcome: 'recorded', status: 201, answer: '{"ok":true}' });
    // A finished delivery is never taken over, however old.
    expect(await store.webhookEvents.claim('evt_1', 'INV-1', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe(false);

    expect(await store.webhookEvents.claim('evt_2', 'INV-2', at, stale)).toBe(true);
    await store.webhookEvents.release('evt_2');
    expect(await store.webhookEvents.get('evt_2')).toBeNull();
    expect(await store.webhookEvents.claim('evt_2', 'INV-2', at, stale)).toBe(true);
    await store.webhookEvents.release('evt_1'); // finished: release keeps it
    expect(await store.webhookEvents.get('evt_1')).not.toBeNull();

    expect(await store.webhookEvents.prune('2027-01-01T00:00:00.000Z')).toBe(1); // evt_1; evt_2 is still pending
    expect(await store.webhookEvents.get('evt_1')).toBeNull();
    expect(await store.webhookEvents.get('evt_2')).not.toBeNull();
    expect(await store.webhookEvents.prune('2027-01-01T00:00:00.000Z')).toBe(0);
  });

  it('fleet: the live rows, owned server ids and active jobs; destroyed and patched in one transaction', async () => {
    const running = await seedInstance(store, { name: 'running', serverId: 2 ** 40 + 1, at });
    await seedInstance(store, { name: 'gone', serverId: 12, status: 'destroyed', at });
    const pending = await seedInstance(store, { name: 'pending', status: 'provisioning', at });
    await store.instances.update(pending, { jobId: 'job_inst' }, at);
    await newJob('job_queued');
    await newJob('job_done');
    await store.jobs.update('job_done', { status: 'succeeded' }, at);

    const live = await store.fleet.live();
    expect(live.map((r) => r.id).sort()).toEqual([running, pending].sort());
    expect(live.find((r) => r.id === running)).toMatchObject({ status: 'running', server_id: 2 ** 40 + 1, hostname: 'running', enrollment: 'online', drift: 0, drift_since: null });
    expect(await store.fleet.knownServerIds()).toEqual(new Set([2 ** 40 + 1]));
    expect(await store.fleet.activeJobIds()).toEqual(new Set(['job_queued', 'job_inst']));

    const agentId = live.find((r) => r.id === running)!.agent_id;
    await store.transaction(async (tx) => {
      await tx.fleet.markDestroyed({ id: running, agent_id: agentId }, later);
      await tx.fleet.applyAll([{ id: pending, patch: { drift: true, driftSince: later, enrollment: 'offline' } }], later);
    });
    expect(await store.instances.get(running)).toMatchObject({ status: 'destroyed', enrollment: 'gone', drift: false, updatedAt: later });
    expect((await store.agents.get(agentId))?.status).toBe('destroyed');
    expect(await store.instances.get(pending)).toMatchObject({ drift: true, enrollment: 'offline' });
    expect((await store.fleet.live()).map((r) => r.id)).toEqual([pending]);
    expect(await store.fleet.knownServerIds()).toEqual(new Set());
  });

  describe('transactions', () => {
    it('roll back entirely when the callback throws, nested ones included', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.agents.insert({ id: 'agt_x', name: 'x', customer: null, at });
          await tx.jobs.insert({ id: 'job_x', kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
          await tx.jobs.appendEvent('job_x', { type: 'job_created' }, at);
          await tx.transaction(async (inner) => {
            await inner.payments.insertIfNew(payment('pay_x', 'INV-X'));
          });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.agents.get('agt_x')).toBeUndefined();
      expect(await store.jobs.get('job_x')).toBeUndefined();
      expect(await store.jobs.events('job_x')).toEqual([]);
      expect(await store.payments.get('pay_x')).toBeUndefined();
    });

    it('roll back when a statement fails, and commit what the callback returns otherwise', async () => {
      await store.agents.insert({ id: 'agt_dup', name: 'dup', customer: null, at });
      await expect(
        store.transaction(async (tx) => {
          await tx.agents.insert({ id: 'agt_new', name: 'new', customer: null, at });
          await tx.agents.insert({ id: 'agt_dup', name: 'again', customer: null, at });
        }),
      ).rejects.toThrow(/unique|duplicate key/i);
      expect(await store.agents.get('agt_new')).toBeUndefined();
      const result = await store.transaction(async (tx) => {
        await tx.agents.insert({ id: 'agt_new', name: 'new', customer: null, at });
        return 'done';
      });
      expect(result).toBe('done');
      expect((await store.agents.get('agt_new'))?.name).toBe('new');
    });

    it('refuse a query on the store itself inside one of its transactions, and roll back', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.agents.insert({ id: 'agt_y', name: 'y', customer: null, at });
          await store.agents.get('agt_y');
        }),
      ).rejects.toThrow(/inside one of its transactions/);
      expect(await store.agents.get('agt_y')).toBeUndefined();
    });

    it('two that both check, then insert, the same payment leave one payment and one job', async () => {
      // Each records the payment unless it exists and then makes its job: the product's
      // check-then-write. SQLite runs them one after the other (BEGIN IMMEDIATE); PostgreSQL runs
      // them at once (SERIALIZABLE) and re-runs the loser, which then finds the payment.
      const bothChecked = latch(2);
      const log: string[] = [];
      let runs = 0;
      const record = (who: string) =>
        store.transaction(async (tx) => {
          runs += 1;
          const existing = await tx.payments.byReference('INV-RACE');
          log.push(`${who}:check`);
          if (engine === 'postgres') await bothChecked.arrive();
          if (existing) return 'existing';
          if (!(await tx.payments.insertIfNew(payment(`pay_${who}`, 'INV-RACE')))) return 'lost';
          await tx.jobs.insert({ id: `job_${who}`, kind: 'provision', instanceId: null, paymentId: `pay_${who}`, params: {}, at });
          await tx.payments.update(`pay_${who}`, { status: 'provisioning', jobId: `job_${who}` });
          log.push(`${who}:insert`);
          return 'created';
        });
      const outcomes = await Promise.all([record('a'), record('b')]);
      expect(outcomes.sort()).toEqual(['created', 'existing']);
      const paid = (await store.payments.byReference('INV-RACE'))!;
      expect((await store.jobs.list()).filter((j) => j.paymentId !== null).map((j) => j.id)).toEqual([paid.jobId]);
      if (engine === 'sqlite') {
        // The second began only after the first committed.
        expect(log).toEqual([`${paid.id.slice(4)}:check`, `${paid.id.slice(4)}:insert`, expect.stringMatching(/:check$/)]);
      } else {
        // Both checked before either wrote, and the loser ran again.
        expect(log.slice(0, 2).every((l) => l.endsWith(':check'))).toBe(true);
        expect(runs).toBeGreaterThanOrEqual(3);
      }
    });
  });
});

/** Resolves `arrive()` for everyone once `count` callers arrived (later callers pass straight through). */
function latch(count: number): { arrive(): Promise<void> } {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive: () => {
      arrived += 1;
      if (arrived >= count) open();
      return opened;
    },
  };
}

describe('the PostgreSQL schema', () => {
  let places: TestLocation[] = [];
  afterEach(async () => {
    for (const p of places) await p.cleanup();
    places = [];
  });
  const freshDatabase = async () => {
    const p = await storeLocation('postgres');
    places.push(p);
    if (p.location.engine !== 'postgres') throw new Error('expected a PostgreSQL location');
    return p.location;
  };

  it('is applied once when two Outposts open a new database at the same moment', async () => {
    const location = await freshDatabase();
    const [a, b] = await Promise.all([Store.open(location), Store.open(location)]);
    try {
      expect(await a.meta.storeId()).toBe(await b.meta.storeId());
      const versions = await sql<{ version: number }>`SELECT version FROM outpost_schema`.execute(a.db);
      expect(versions.rows).toEqual([{ version: POSTGRES_MIGRATIONS.at(-1)!.version }]);
      const meta = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM meta`.execute(a.db);
      expect(meta.rows).toEqual([{ n: 1 }]);
      expect(await a.integrityProblems()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a database written by a newer Outpost, without the password in the message', async () => {
    const location = await freshDatabase();
    const store = await Store.open(location);
    await sql`UPDATE outpost_schema SET version = 999`.execute(store.db);
    await store.close();
    // Local connections are trusted: the password is never checked, only carried.
    const withPassword = new URL(location.url);
    withPassword.password = 's3cret-Pa55';
    const refused = await Store.open({ engine: 'postgres', url: withPassword.toString() }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).toMatch(/schema version 999, newer/);
    expect(refused?.message).not.toContain('s3cret-Pa55');
  });

  it('says why it cannot connect, without the password', async () => {
    const refused = await Store.open({ engine: 'postgres', url: 'postgresql://outpost:s3cret-Pa55@127.0.0.1:1/outpost' }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).toMatch(/Cannot open the PostgreSQL store/);
    expect(refused?.message).not.toContain('s3cret-Pa55');
  });
});
