// The pipeline against the simulators over real HTTP and a real store: a SQLite file, and a
// PostgreSQL database (the same assertions on both engines).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISION_STEPS } from '../../../shared/domain';
import { ENGINES } from '../../fixtures/engines';
import { paymentRequest } from '../../fixtures/payments';
import { leftovers, startHarness, waitForJob, type Harness } from '../../fixtures/pipeline';
import { encodeLabelText } from '../../../electron/core/fleet/labels';

const payment = (reference: string) => paymentRequest(reference, { note: 'first agent' });

describe.each(ENGINES)('provisioning pipeline on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ engine });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes a recorded payment to an enrolled VM and records every field', async () => {
    const { payment: recorded, created } = await h.api.call('payments:record', payment('INV-2026-0001'));
    expect(created).toBe(true);
    expect(recorded.status).toBe('provisioning');
    const job = await h.settle(recorded.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', error: null, paymentId: recorded.id });

    const { instance, jobs } = await h.api.call('instances:get', { instanceId: recorded.instanceId! });
    const state = await h.control.state();
    const server = state.servers.find((s) => s.id === instance.serverId)!;
    const device = state.devices.find((d) => d.nodeId === instance.nodeId)!;
    // The shared ledger (README "One fleet, many desktops"): no customer name unless the setting allows it.
    expect(server.labels).toEqual({
      'outpost.managed': 'true',
      'outpost.job': job.id,
      'outpost.agent': encodeLabelText(instance.agentName),
      'outpost.payment': 'INV-2026-0001',
      'outpost.plan': 'cx22',
      'outpost.store': await h.runtime.store.meta.storeId(),
    });
    expect(instance).toMatchObject({
      status: 'running',
      enrollment: 'online',
      region: 'fsn1',
      serverType: 'cx22',
      customer: 'ACME GmbH',
      publicIpv4: server.ipv4,
      publicIpv6: server.ipv6,
      tailnetIp: device.addresses[0],
      hostname: device.hostname,
    });
    expect(instance.serverId).toBeGreaterThan(2 ** 32);
    expect(instance.tailnetIp).toMatch(/^100\./);
    expect(device.tags).toEqual(h.endpoints.tailscaleTags);
    expect(device.isEphemeral).toBe(true);
    expect((await h.runtime.store.agents.get(instance.agentId))?.status).toBe('active');

    const paid = (await h.runtime.store.payments.byReference('INV-2026-0001'))!;
    expect(paid).toMatchObject({ status: 'fulfilled', jobId: job.id, instanceId: instance.id });
    expect(paid.timeToEnrolledMs).toBeGreaterThan(0);
    expect(paid.withinTarget).toBe(true);

    // Every step recorded before it starts and after it ends, with its duration, in order.
    const events = jobs[0]!.events;
    const steps = events.filter((e) => e.type === 'step_started').map((e) => e.step);
    expect(steps).toEqual([...PROVISION_STEPS]);
    for (const step of PROVISION_STEPS) {
      const done = events.find((e) => e.type === 'step_succeeded' && e.step === step)!;
      expect(done.durationMs, step).toBeGreaterThanOrEqual(0);
      expect(done.seq).toBeGreaterThan(events.find((e) => e.type === 'step_started' && e.step === step)!.seq);
    }
    expect(JSON.stringify(events)).not.toMatch(/tskey-auth-[A-Za-z0-9]+-[A-Za-z0-9]{8,}/);
    // The key was single-use: spent by the VM, worthless now.
    const keyId = await h.runtime.store.instances.keyId(instance.id);
    expect(state.keys.find((k) => k.id === keyId)).toMatchObject({ invalid: true });
    expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
  });

  it("a job's first create POSTs without a label lookup (nothing can carry the job's label yet)", async () => {
    const since = (await h.control.requests()).lastSeq;
    const { jobId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'first post' });
    expect((await h.settle(jobId)).status).toBe('succeeded');
    const log = (await h.control.requests(since)).requests.filter((r) => r.api === 'hetzner');
    const post = log.findIndex((r) => r.method === 'POST' && r.path === '/hetzner/v1/servers');
    expect(post).toBeGreaterThanOrEqual(0);
    expect(log.filter((r) => r.method === 'POST' && r.path === '/hetzner/v1/servers')).toHaveLength(1);
    const lookups = log.filter((r) => r.method === 'GET' && decodeURIComponent(r.path).includes(`outpost.job=${jobId}`));
    expect(lookups).toEqual([]);
  });

  it('records the same payment once: a repeat creates nothing, the same reference for someone else is refused', async () => {
    const first = await h.api.call('payments:record', payment('INV-REPEAT'));
    const again = await h.api.call('payments:record', payment('INV-REPEAT'));
    expect(again.created).toBe(false);
    expect(again.payment.id).toBe(first.payment.id);
    expect(again.payment.jobId).toBe(first.payment.jobId);
    await expect(h.api.call('payments:record', { ...payment('INV-REPEAT'), customer: 'Someone Else' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('customer'),
    });
    expect((await h.runtime.store.payments.byReference('INV-REPEAT'))?.customer).toBe('ACME GmbH');
    await h.settle(first.payment.jobId!);
    const servers = (await h.control.state()).servers.filter((s) => s.labels['outpost.payment'] === 'INV-REPEAT');
    expect(servers).toHaveLength(1);
  });

  it('labels the customer\'s name only when the setting allows it', async () => {
    await h.api.call('settings:update', { labelCustomerNames: true });
    try {
      const { payment: recorded } = await h.api.call('payments:record', { ...payment('INV-NAMED'), customer: 'Müller & Söhne' });
      await h.settle(recorded.jobId!);
      const server = (await h.control.state()).servers.find((s) => s.labels['outpost.payment'] === 'INV-NAMED')!;
      expect(server.labels['outpost.customer']).toBe(encodeLabelText('Müller & Söhne'));
    } finally {
      await h.api.call('settings:update', { labelCustomerNames: false });
    }
  });

  it('provisions a payment recorded by many concurrent calls exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => h.api.call('payments:record', payment('INV-RACE'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    const jobs = (await h.runtime.store.jobs.list({ limit: 1000 })).filter((j) => j.paymentId === results[0]!.payment.id);
    expect(jobs).toHaveLength(1);
    await h.settle(jobs[0]!.id);
    expect((await h.control.state()).servers.filter((s) => s.labels['outpost.payment'] === 'INV-RACE')).toHaveLength(1);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const before = { jobs: (await h.runtime.store.jobs.list({ limit: 10_000 })).length, instances: (await h.runtime.store.instances.list({ includeDestroyed: true })).length };
    await expect(h.api.call('provision:start', { region: 'xx9', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'a' })).rejects.toMatchObject({
      code: 'invalid_input',
      hint: expect.stringContaining('fsn1'),
    });
    await expect(h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'windows-95', agentName: 'a' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'a', name: 'Bad_Name' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.api.call('payments:record', { ...payment('INV-BAD'), amount: 9.999 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.runtime.store.jobs.list({ limit: 10_000 })).toHaveLength(before.jobs);
    expect(await h.runtime.store.instances.list({ includeDestroyed: true })).toHaveLength(before.instances);
    expect(await h.runtime.store.payments.byReference('INV-BAD')).toBeUndefined();
  });

  it('cancels mid-way and removes what the job created', async () => {
    await h.control.blockEnrollment({});
    try {
      const { jobId, instanceId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Cancel Me' });
      await waitForJob(h, jobId, (e) => e.includes('step_started:wait_enrolled'));
      await h.api.call('provision:cancel', { jobId });
      const job = await h.settle(jobId);
      expect(job.status).toBe('cancelled');
      expect(job.error).toMatchObject({ step: 'wait_enrolled', code: 'cancelled' });
      const compensations = (await h.runtime.store.jobs.events(jobId)).filter((e) => e.type === 'compensation');
      expect(compensations.map((e) => [e.step, e.data.outcome])).toEqual([
        ['delete_server', 'deleted'],
        ['delete_device', 'not_created'],
        ['revoke_key', 'revoked'],
      ]);
      expect((await h.runtime.store.instances.get(instanceId))?.status).toBe('failed');
      await expect(h.api.call('provision:cancel', { jobId })).rejects.toMatchObject({ code: 'conflict' });
      expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
    } finally {
      await h.control.clearFaults();
    }
  });

  it('destroys a VM: server, device and key gone; instance and agent marked destroyed', async () => {
    const { jobId, instanceId } = await h.api.call('provision:start', { region: 'hel1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Short Lived' });
    await h.settle(jobId);
    const { instance } = await h.api.call('instances:get', { instanceId });
    await expect(h.api.call('instances:destroy', { instanceId, confirmName: 'wrong-name' })).rejects.toMatchObject({ code: 'invalid_input' });
    const { jobId: destroyJob } = await h.api.call('instances:destroy', { instanceId, confirmName: instance.name });
    expect((await h.settle(destroyJob)).status).toBe('succeeded');
    const after = (await h.runtime.store.instances.get(instanceId))!;
    expect(after).toMatchObject({ status: 'destroyed', enrollment: 'gone' });
    expect((await h.runtime.store.agents.get(instance.agentId))?.status).toBe('destroyed');
    const state = await h.control.state();
    expect(state.servers.find((s) => s.id === instance.serverId && s.status !== 'deleting')).toBeUndefined();
    expect(state.devices.find((d) => d.nodeId === instance.nodeId)).toBeUndefined();
    await expect(h.api.call('instances:destroy', { instanceId, confirmName: instance.name })).rejects.toMatchObject({ code: 'conflict' });
    expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
  });

  it('falls back to another location of the same zone when create answers resource_unavailable', async () => {
    await h.api.call('regions:list', {}); // the catalog is cached and still says fsn1 has cx22
    await h.control.makeUnavailable({ serverType: 'cx22', location: 'fsn1' });
    try {
      const { jobId, instanceId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Fallback' });
      const job = await h.settle(jobId);
      expect(job.status).toBe('succeeded');
      const instance = (await h.runtime.store.instances.get(instanceId))!;
      expect(['nbg1', 'hel1']).toContain(instance.region);
      const notes = (await h.runtime.store.jobs.events(jobId)).filter((e) => e.type === 'note').map((e) => String(e.data.message));
      expect(notes.join('\n')).toMatch(/unavailable|not available/);
    } finally {
      await h.control.makeAvailable('cx22', 'fsn1');
    }
  });

  // The support role on every mutating channel and transport: test/security/roles.test.ts.
});
