// Exactly once, for every way in: a failed or cancelled job is retried once (a second click, a
// concurrent click, a click after the retry succeeded all answer `conflict` naming the retry), and a
// payment reference recorded again is either the same payment (its job) or refused with the fields
// that differ. Every refusal changes nothing and is audited as refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Req } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { leftovers, startHarness, waitForJob, type Harness } from '../../fixtures/pipeline';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 31 });
});

afterAll(async () => {
  await h?.close();
});

const request: Req<'provision:start'> = { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'once' };

const serversOf = async (jobIds: string[]) => (await h.control.state()).servers.filter((s) => jobIds.includes(s.labels['outpost.job'] ?? ''));

async function failedProvision(): Promise<string> {
  await h.control.failActions({ command: 'start_server', count: 1 });
  const { jobId } = await h.api.call('provision:start', request);
  expect((await h.settle(jobId)).status).toBe('failed');
  return jobId;
}

describe('retry', () => {
  it('retries a failed manual provision once; every later retry is a conflict naming the retry', async () => {
    const failed = await failedProvision();
    const retry = await h.api.call('jobs:retry', { jobId: failed });
    expect((await h.settle(retry.jobId)).status).toBe('succeeded');

    const again = h.api.call('jobs:retry', { jobId: failed });
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    await expect(again).rejects.toThrow(retry.jobId);

    expect(await h.runtime.store.jobs.get(failed)).toMatchObject({ retriedBy: retry.jobId, retryOf: null });
    expect(await h.runtime.store.jobs.get(retry.jobId)).toMatchObject({ retryOf: failed, retriedBy: null });
    // One VM for the failed job's plan, not one per click.
    expect((await serversOf([failed, retry.jobId])).filter((s) => s.status !== 'deleting')).toHaveLength(1);
    const audit = await h.runtime.store.audit.list({ action: 'jobs:retry' });
    expect(audit[0]).toMatchObject({ outcome: 'refused', target: failed, detail: { code: 'conflict' } });
  });

  it('lets only one of two concurrent retries through', async () => {
    const failed = await failedProvision();
    const results = await Promise.allSettled([h.api.call('jobs:retry', { jobId: failed }), h.api.call('jobs:retry', { jobId: failed })]);
    const won = results.filter((r): r is PromiseFulfilledResult<{ jobId: string; instanceId: string }> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(OutpostError);
    expect(lost[0]!.reason).toMatchObject({ code: 'conflict' });
    expect(String(lost[0]!.reason.message)).toContain(won[0]!.value.jobId);
    await h.settle(won[0]!.value.jobId);
    expect((await h.runtime.store.jobs.list({ limit: 1000 })).filter((j) => j.retryOf === failed)).toHaveLength(1);
  });

  it('retries a cancelled provision, and a retry of a retry is the retry’s own', async () => {
    await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 60_000, count: 1 });
    const { jobId } = await h.api.call('provision:start', request);
    await waitForJob(h, jobId, (events) => events.includes('step_started:create_server'));
    await h.api.call('provision:cancel', { jobId });
    const cancelled = await h.settle(jobId);
    expect(cancelled.status).toBe('cancelled');
    await h.control.clearFaults();
    const retry = await h.api.call('jobs:retry', { jobId });
    expect((await h.settle(retry.jobId)).status).toBe('succeeded');
    // The succeeded retry is not itself retriable.
    await expect(h.api.call('jobs:retry', { jobId: retry.jobId })).rejects.toMatchObject({ code: 'conflict' });
    expect(await leftovers(h)).toMatchObject({ validKeys: [] });
  });
});

describe('payments', () => {
  const payment: Req<'payments:record'> = { reference: 'INV-ONCE-1', customer: 'Ada', amount: 19.9, currency: 'EUR', plan: 'cx22', region: 'fsn1', contact: 'ada@example.com' };

  it('returns the existing payment and job for an identical repeat', async () => {
    const first = await h.api.call('payments:record', payment);
    expect(first.created).toBe(true);
    const repeat = await h.api.call('payments:record', { ...payment });
    expect(repeat).toMatchObject({ created: false, payment: { id: first.payment.id, jobId: first.payment.jobId } });
    await h.settle(first.payment.jobId!);
  });

  it('refuses the same reference with other details, listing each field that differs, and changes nothing', async () => {
    const before = await h.runtime.store.payments.byReference(payment.reference);
    const jobs = (await h.runtime.store.jobs.list({ limit: 1000 })).length;
    const other = h.api.call('payments:record', { ...payment, customer: 'Bob', amount: 29.9, plan: 'cx32' });
    await expect(other).rejects.toMatchObject({ code: 'conflict' });
    const message = await other.catch((e: OutpostError) => e.message);
    for (const field of ['customer', 'amount', 'plan']) expect(message).toContain(field);
    for (const field of ['currency', 'region', 'contact']) expect(message).not.toContain(field);
    expect(await h.runtime.store.payments.byReference(payment.reference)).toEqual(before);
    expect(await h.runtime.store.jobs.list({ limit: 1000 })).toHaveLength(jobs);
    expect((await h.runtime.store.audit.list({ action: 'payments:record' }))[0]).toMatchObject({ outcome: 'refused', target: payment.reference, targetName: 'Bob' });
  });

  it('treats a dropped optional detail as a difference too', async () => {
    const { contact: _dropped, ...withoutContact } = payment;
    await expect(h.api.call('payments:record', withoutContact)).rejects.toThrow(/contact/);
  });
});
