// compensate() and finishFailed() (electron/core/provisioning/compensate.ts) on a fake pipeline
// context: each removal recorded once, in order, with its outcome and the state a crash resumes from;
// a part already done is never redone; the job, instance, agent and payment closed as failed or
// cancelled. Kills the mutants StrykerJS found surviving the pipeline tests.
import { describe, expect, it, vi } from 'vitest';
import type { PipelineContext } from '../../../electron/core/provisioning/context';
import type { ProvisionJob } from '../../../electron/core/provisioning/provision';
import { compensate, finishFailed } from '../../../electron/core/provisioning/compensate';
import { keyDescription } from '../../../electron/core/provisioning/cleanup';

function context() {
  const calls: string[] = [];
  const clouds = {
    hetzner: {
      servers: {
        findServerByLabel: vi.fn(async () => null),
        delete: vi.fn(async (id: number) => (calls.push(`delete server ${id}`), { id: 70, command: 'delete_server' })),
        actions: vi.fn(async () => []),
      },
    },
    actions: { waitFor: vi.fn(async (a: unknown) => a) },
    tailscale: {
      devices: {
        list: vi.fn(async () => [{ nodeId: 'n-found', hostname: 'vm-1', tags: ['tag:agent'], isEphemeral: true, authorized: true, created: '2026-08-20T10:00:10Z' }]),
        delete: vi.fn(async (id: string) => (calls.push(`delete device ${id}`), true)),
      },
      keys: {
        get: vi.fn(async (id: string) => ({ id, invalid: false, description: keyDescription('job_1') })),
        list: vi.fn(async () => []),
        delete: vi.fn(async (id: string) => (calls.push(`delete key ${id}`), true)),
      },
    },
    tags: ['tag:agent'],
  };
  const recorded: { jobId: string; entry: Record<string, unknown>; options?: { state?: Record<string, unknown> } }[] = [];
  const event = { seq: 9, type: 'job_finished' };
  // Async like the real store; the transaction hands the callback this same fake as its `tx`.
  const store = {
    transaction: async <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => fn(store),
    instances: { update: vi.fn(async () => undefined) },
    agents: { setStatus: vi.fn(async () => undefined) },
    payments: { update: vi.fn(async () => undefined) },
    jobs: { update: vi.fn(async () => undefined), appendEvent: vi.fn(async () => event) },
  };
  const journal = {
    record: vi.fn(async (jobId: string, entry: Record<string, unknown>, options?: { state?: Record<string, unknown> }) => void recorded.push({ jobId, entry, options })),
    now: () => '2026-08-20T10:05:00.000Z',
    // The journal's transaction first checks the job's lease (fencing), then is the store's.
    transaction: vi.fn(async <T>(_jobId: string, fn: (tx: unknown) => Promise<T>): Promise<T> => store.transaction(fn)),
    publish: vi.fn(async () => undefined),
    publishInstance: vi.fn(async () => undefined),
  };
  const secrets = new Map([['job_1', { authKey: 'tskey-auth-secret' }], ['job_2', { authKey: 'tskey-other' }]]);
  const ctx = { clouds, store, journal, secrets, config: { compensationTimeoutMs: 5_000 } } as unknown as PipelineContext;
  return { ctx, clouds, store, journal, recorded, calls, secrets, event };
}

const job = (state: Record<string, unknown>, paymentId: string | null = 'pay_1') =>
  ({ jobId: 'job_1', instanceId: 'inst_1', agentId: 'agent_1', paymentId, plan: { name: 'vm-1' }, state }) as unknown as ProvisionJob;
const signal = new AbortController().signal;

describe('compensate', () => {
  it('removes server, device and key in that order, recording each with its outcome and the state so far', async () => {
    const c = context();
    await compensate(c.ctx, job({ serverId: 7, nodeId: 'n1', keyId: 'k1', keyCreated: '2026-08-20T10:00:00Z' }), signal);
    expect(c.calls).toEqual(['delete server 7', 'delete device n1', 'delete key k1']);
    expect(c.recorded.map((r) => [r.jobId, r.entry, r.options?.state?.compensated])).toEqual([
      ['job_1', { type: 'compensation', step: 'delete_server', data: { target: 'server', outcome: 'deleted', id: 7 } }, ['delete_server']],
      ['job_1', { type: 'compensation', step: 'delete_device', data: { target: 'device', outcome: 'deleted', id: 'n1' } }, ['delete_server', 'delete_device']],
      ['job_1', { type: 'compensation', step: 'revoke_key', data: { target: 'key', outcome: 'revoked', id: 'k1' } }, ['delete_server', 'delete_device', 'revoke_key']],
    ]);
    // The recorded state keeps what the job knew.
    expect(c.recorded[2]!.options?.state).toMatchObject({ serverId: 7, nodeId: 'n1', keyId: 'k1' });
    // The auth key secret is forgotten; another job's is not.
    expect([...c.secrets.keys()]).toEqual(['job_2']);
  });

  it("finds an unrecorded server by the job's label and an unrecorded device by the plan's hostname", async () => {
    const c = context();
    c.clouds.hetzner.servers.findServerByLabel.mockResolvedValueOnce({ id: 8 } as never);
    await compensate(c.ctx, job({ keyId: 'k1', keyCreated: '2026-08-20T10:00:00Z' }), signal);
    expect(c.clouds.hetzner.servers.findServerByLabel).toHaveBeenCalledWith('outpost.job=job_1', { signal });
    expect(c.clouds.tailscale.devices.list).toHaveBeenCalledWith({ filters: { hostname: 'vm-1' }, signal });
    expect(c.calls).toEqual(['delete server 8', 'delete device n-found', 'delete key k1']);
  });

  it('resumed after a crash, redoes nothing already compensated', async () => {
    const c = context();
    await compensate(c.ctx, job({ serverId: 7, nodeId: 'n1', keyId: 'k1', compensated: ['delete_server', 'delete_device'] }), signal);
    expect(c.calls).toEqual(['delete key k1']);
    expect(c.recorded.map((r) => r.options?.state?.compensated)).toEqual([['delete_server', 'delete_device', 'revoke_key']]);
  });
});

describe('finishFailed', () => {
  it('closes the job as failed: instance failed and gone, agent failed, payment failed, one job_finished event published', async () => {
    const c = context();
    await finishFailed(c.ctx, job({}), false);
    // One transaction, fenced by this job's lease: a run that lost the job closes nothing.
    expect(c.journal.transaction).toHaveBeenCalledTimes(1);
    expect(c.journal.transaction).toHaveBeenCalledWith('job_1', expect.any(Function));
    expect(c.store.instances.update).toHaveBeenCalledWith('inst_1', { status: 'failed', enrollment: 'gone' }, '2026-08-20T10:05:00.000Z');
    expect(c.store.agents.setStatus).toHaveBeenCalledWith('agent_1', 'failed', '2026-08-20T10:05:00.000Z');
    expect(c.store.payments.update).toHaveBeenCalledWith('pay_1', { status: 'failed' });
    expect(c.store.jobs.update).toHaveBeenCalledWith('job_1', { status: 'failed', finishedAt: '2026-08-20T10:05:00.000Z' }, '2026-08-20T10:05:00.000Z');
    expect(c.store.jobs.appendEvent).toHaveBeenCalledWith('job_1', { type: 'job_finished', data: { status: 'failed' } }, '2026-08-20T10:05:00.000Z');
    expect(c.journal.publish).toHaveBeenCalledWith('job_1', c.event);
    expect(c.journal.publishInstance).toHaveBeenCalledWith('inst_1');
  });

  it('a cancel closes it as cancelled; a job without a payment touches no payment', async () => {
    const c = context();
    await finishFailed(c.ctx, job({}, null), true);
    expect(c.store.jobs.update).toHaveBeenCalledWith('job_1', { status: 'cancelled', finishedAt: '2026-08-20T10:05:00.000Z' }, '2026-08-20T10:05:00.000Z');
    expect(c.store.jobs.appendEvent).toHaveBeenCalledWith('job_1', { type: 'job_finished', data: { status: 'cancelled' } }, '2026-08-20T10:05:00.000Z');
    expect(c.store.payments.update).not.toHaveBeenCalled();
  });
});
