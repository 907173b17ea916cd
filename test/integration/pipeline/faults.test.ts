// A fault at each step: the job fails at that step with the cloud's own code and message, and
// compensation leaves no server, device or valid key behind.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../fixtures/engines';
import { leftovers, startHarness, type Harness } from '../../fixtures/pipeline';

/** An OpenSSH-shaped RSA public key of ~1.4 KB (random modulus: only its format is checked). */
function bigSshKey(): string {
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
  const blob = Buffer.concat([part(Buffer.from('ssh-rsa')), part(Buffer.from([1, 0, 1])), part(Buffer.concat([Buffer.from([0]), randomBytes(1024)]))]);
  return `ssh-rsa ${blob.toString('base64')} op@example`;
}

describe.each(ENGINES)('a fault at each step ends in a clean failure, on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ engine, pipeline: { enrolledTimeoutMs: 2_000 } });
  });
  afterEach(async () => {
    await h.control.clearFaults();
    h.settings.set('sshKeys', []);
  });
  afterAll(async () => {
    await h?.close();
  });

  const provision = (agentName: string) =>
    h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName });

  async function expectCleanFailure(jobId: string, step: string, code: string | RegExp) {
    const job = await h.settle(jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.step).toBe(step);
    expect(job.error?.code).toMatch(code);
    expect(job.error?.message.length).toBeGreaterThan(0);
    const events = await h.runtime.store.jobs.events(jobId);
    const failed = events.find((e) => e.type === 'step_failed')!;
    expect(failed.step).toBe(step);
    // Compensation ran after the failure and each part is on the timeline.
    const compensations = events.filter((e) => e.type === 'compensation');
    expect(compensations.map((e) => e.step)).toEqual(['delete_server', 'delete_device', 'revoke_key']);
    expect(compensations.every((e) => e.seq > failed.seq)).toBe(true);
    expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
    return { job, events };
  }

  it('mint_key: Tailscale refuses the key', async () => {
    await h.control.addFault({ method: 'POST', path: '/tailscale/api/v2/tailnet/*/keys', status: 500, message: 'internal error' });
    const { jobId } = await provision('mint fails');
    const { events } = await expectCleanFailure(jobId, 'mint_key', /.+/);
    expect(events.find((e) => e.type === 'compensation' && e.step === 'delete_server')?.data.outcome).toBe('not_created');
  });

  it('render_user_data: the user-data would exceed 32 KiB', async () => {
    h.settings.set('sshKeys', Array.from({ length: 24 }, bigSshKey));
    const { jobId } = await provision('too big');
    const { job, events } = await expectCleanFailure(jobId, 'render_user_data', 'invalid_input');
    expect(job.error?.message).toMatch(/32768|32 KiB|too large/i);
    // The key minted for it was revoked while still valid.
    expect(events.find((e) => e.type === 'compensation' && e.step === 'revoke_key')?.data.outcome).toBe('revoked');
  });

  it('create_server: Hetzner answers 503 unavailable', async () => {
    await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'service unavailable' });
    const { jobId } = await provision('no capacity');
    const { job } = await expectCleanFailure(jobId, 'create_server', 'unavailable');
    expect(job.error?.message).toContain('service unavailable');
  });

  it('create_server: an ambiguous answer (reset after the server was made) creates exactly one server', async () => {
    await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', reset: true, phase: 'after', count: 1 });
    const { lastSeq } = await h.control.requests();
    const { jobId, instanceId } = await provision('ambiguous');
    const job = await h.settle(jobId);
    expect(job.status).toBe('succeeded');
    const mine = (await h.control.state()).servers.filter((s) => s.labels['outpost.job'] === jobId);
    expect(mine).toHaveLength(1);
    expect((await h.runtime.store.instances.get(instanceId))?.serverId).toBe(mine[0]!.id);
    // The reset POST was not repeated: the server was found by its job label instead.
    const posts = (await h.control.requests(lastSeq)).requests.filter((r) => r.method === 'POST' && r.path === '/hetzner/v1/servers');
    expect(posts).toHaveLength(1);
  });

  it('wait_running: the start_server action fails', async () => {
    await h.control.failActions({ command: 'start_server', count: 1, code: 'action_failed', message: 'Action failed' });
    const { jobId } = await provision('start fails');
    const { job, events } = await expectCleanFailure(jobId, 'wait_running', 'action_failed');
    expect(job.error?.message).toContain('start_server');
    expect(events.find((e) => e.type === 'compensation' && e.step === 'delete_server')?.data.outcome).toBe('deleted');
  });

  it('wait_enrolled: the device never joins within the deadline', async () => {
    await h.control.blockEnrollment({});
    const { jobId } = await provision('never joins');
    const { job } = await expectCleanFailure(jobId, 'wait_enrolled', 'timeout');
    expect(job.error?.message).toMatch(/enrolled/);
  });

  it('a device that joins after the job gave up is still found and deleted', async () => {
    // Enrollment slower than the deadline: the VM joins while compensation runs or after it.
    await h.control.blockEnrollment({});
    const { jobId } = await provision('late joiner');
    await h.settle(jobId);
    expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
  });

  it('a failed payment is retried as a new job that fulfils the same payment', async () => {
    await h.control.failActions({ command: 'start_server', count: 1 });
    const { payment } = await h.api.call('payments:record', { reference: 'INV-RETRY', customer: 'Initech', amount: 5, currency: 'EUR', plan: 'cx22', region: 'fsn1' });
    await expectCleanFailure(payment.jobId!, 'wait_running', 'action_failed');
    expect((await h.runtime.store.payments.get(payment.id))?.status).toBe('failed');
    const retry = await h.api.call('jobs:retry', { jobId: payment.jobId! });
    expect((await h.settle(retry.jobId)).status).toBe('succeeded');
    expect(await h.runtime.store.payments.get(payment.id)).toMatchObject({ status: 'fulfilled', jobId: retry.jobId, instanceId: retry.instanceId });
    expect((await h.runtime.store.jobs.get(retry.jobId))?.paymentId).toBe(payment.id);
    await expect(h.api.call('jobs:retry', { jobId: payment.jobId! })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.api.call('jobs:retry', { jobId: retry.jobId })).rejects.toMatchObject({ code: 'conflict' });
    const servers = (await h.control.state()).servers.filter((x) => x.labels['outpost.payment'] === 'INV-RETRY' && x.status !== 'deleting');
    expect(servers).toHaveLength(1);
  });
});
