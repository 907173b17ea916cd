// Provision with a quantity against the simulators: N VMs recorded as one group in one transaction,
// paced by the rate budget (no 429 from a burst of creates), audited once, refused with a payment.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { InstancesRepo } from '../../../electron/core/db/repos/instances';
import { ENGINES } from '../../fixtures/engines';
import { startHarness, type Harness } from '../../fixtures/pipeline';

// A project bucket far smaller than 20 provisions need (each creates, polls and reads): the budget
// must pace them, as a real project's 3600/h would pace a larger fleet.
const RATE = { capacity: 40, refillPerSecond: 10 };

const plan = { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Batch Bot' };

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof OutpostError ? { code: e.code, message: e.message } : { code: 'not-outpost', message: String(e) };
  }
  return { code: 'resolved', message: '' };
};

describe.each(ENGINES)('provision with a quantity, on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    // Twenty pipelines share one process with the simulator: on a loaded 2-core CI box a 2 s request
    // timeout (the harness default) measures the box, not Outpost (the product's default is 30 s).
    h = await startHarness({ engine, rateLimit: RATE, tuning: { requestTimeoutMs: 15_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const counts = async () => ({
    jobs: (await h.runtime.store.jobs.list({ limit: 1000 })).length,
    instances: (await h.runtime.store.instances.list({ includeDestroyed: true })).length,
  });

  it('records 20 VMs as one group and enrolls them all with no 429 from the simulator', async () => {
    const since = (await h.control.requests()).lastSeq;
    const answer = await h.api.call('provision:start', { ...plan, quantity: 20 });
    expect(answer.jobs).toHaveLength(20);
    expect(answer.groupId).toMatch(/^grp_/);
    expect(answer).toMatchObject(answer.jobs[0]!);
    expect(new Set(answer.jobs.map((j) => j.jobId)).size).toBe(20);

    const jobs = await Promise.all(answer.jobs.map((j) => h.settle(j.jobId)));
    expect(jobs.filter((j) => j.status !== 'succeeded').map((j) => j.error)).toEqual([]);
    expect(new Set(jobs.map((j) => j.groupId))).toEqual(new Set([answer.groupId]));

    const names = await Promise.all(answer.jobs.map(async (j) => (await h.api.call('instances:get', { instanceId: j.instanceId })).instance.name));
    expect(new Set(names).size).toBe(20);
    for (const name of names) expect(name).toMatch(/^batch-bot-[0-9a-f]{6}$/);
    const servers = (await h.control.state()).servers.filter((s) => names.includes(s.name));
    expect(servers).toHaveLength(20);

    const log = (await h.control.requests(since)).requests.filter((r) => r.api === 'hetzner');
    expect(log.filter((r) => r.method === 'POST' && r.path === '/hetzner/v1/servers').length).toBeGreaterThanOrEqual(20);
    // More requests than the bucket holds went through: the budget paced them rather than bursting.
    expect(log.length).toBeGreaterThan(RATE.capacity);
    expect(log.filter((r) => r.status === 429)).toEqual([]);

    const audit = (await h.runtime.store.audit.list({ action: 'provision:start' })).filter((a) => a.target === answer.groupId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'ok', targetName: '20 VMs of Batch Bot', detail: expect.objectContaining({ quantity: 20 }) });
  });

  it('records none of the batch when recording one of them fails', async () => {
    const before = await counts();
    // On the prototype: the batch records through its transaction's repositories, not the store's own.
    const insert = InstancesRepo.prototype.insert;
    let calls = 0;
    const spy = vi.spyOn(InstancesRepo.prototype, 'insert').mockImplementation(async function (this: InstancesRepo, row) {
      calls += 1;
      if (calls === 7) throw new Error('disk full while recording');
      await insert.call(this, row);
    });
    try {
      const refused = await codeOf(h.api.call('provision:start', { ...plan, quantity: 10 }));
      expect(refused.code).toBe('internal');
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(7);
    expect(await counts()).toEqual(before);
  });

  it('refuses a quantity with a payment, a chosen name for a batch and out-of-range quantities, changing nothing', async () => {
    const before = await counts();
    const payment = await codeOf(
      h.api.call('payments:record', { reference: 'INV-BATCH-1', customer: 'ACME', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'fsn1', quantity: 3 } as never),
    );
    expect(payment.code).toBe('invalid_input');
    expect(payment.message).toMatch(/quantity: a payment provisions exactly one VM/);
    expect(await h.runtime.store.payments.byReference('INV-BATCH-1')).toBeUndefined();

    const named = await codeOf(h.api.call('provision:start', { ...plan, quantity: 3, name: 'fixed-name' }));
    expect(named).toMatchObject({ code: 'invalid_input' });
    expect(named.message).toMatch(/name:/);
    for (const quantity of [0, 51, 2.5]) {
      const bad = await codeOf(h.api.call('provision:start', { ...plan, quantity }));
      expect(bad.code, String(quantity)).toBe('invalid_input');
      expect(bad.message, String(quantity)).toMatch(/quantity:/);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a batch to the support role and audits the refusal', async () => {
    const before = await counts();
    h.settings.set('role', 'support');
    try {
      const refused = await codeOf(h.api.call('provision:start', { ...plan, quantity: 2 }));
      expect(refused.code).toBe('read_only');
    } finally {
      h.settings.set('role', 'operator');
    }
    expect(await counts()).toEqual(before);
    expect((await h.runtime.store.audit.list({ action: 'provision:start' }))[0]).toMatchObject({ role: 'support', outcome: 'refused' });
  });
});
