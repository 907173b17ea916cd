// After a failure or a cancel: remove the server, the device and the key, recording each removal,
// then close the job as failed or cancelled. Every part is idempotent and remembered in the job's
// state, so a compensation interrupted by a crash resumes where it stopped.
import type { DestroyStep } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { withAttempts } from './attempts';
import { removeDevice, removeServer, revokeJobKeys, type CleanupResult } from './cleanup';
import { jobLabel, type PipelineContext, type ProvisionState } from './context';
import type { ProvisionJob } from './provision';

export async function compensate(ctx: PipelineContext, job: ProvisionJob, signal: AbortSignal): Promise<void> {
  let state = job.state;
  const part = async (name: DestroyStep, work: () => Promise<CleanupResult>) => {
    if (state.compensated?.includes(name)) return;
    const result = await withAttempts(ctx, job.jobId, name, work, signal);
    state = { ...state, compensated: [...(state.compensated ?? []), name] };
    await ctx.journal.record(job.jobId, { type: 'compensation', step: name, data: { ...result } }, { state });
  };
  // Server first: once it is gone, nothing can enroll any more, so the device lookup is final.
  await part('delete_server', () =>
    removeServer(ctx.clouds, { serverId: state.serverId, jobLabel: jobLabel(job.jobId) }, signal, ctx.config.compensationTimeoutMs),
  );
  await part('delete_device', () => removeDevice(ctx.clouds, { nodeId: state.nodeId, hostname: job.plan.name, keyCreated: state.keyCreated }, signal));
  await part('revoke_key', () => revokeJobKeys(ctx.clouds, job.jobId, state.keyId, signal));
  ctx.secrets.delete(job.jobId);
}

/** Closes a compensated job: failed (or cancelled), with its instance, agent and payment. */
export async function finishFailed(ctx: PipelineContext, job: ProvisionJob, cancelled: boolean): Promise<void> {
  const at = ctx.journal.now();
  const status = cancelled ? 'cancelled' : 'failed';
  const event = await ctx.journal.transaction(job.jobId, async (tx) => {
    await tx.instances.update(job.instanceId, { status: 'failed', enrollment: 'gone' }, at);
    await tx.agents.setStatus(job.agentId, 'failed', at);
    if (job.paymentId) await tx.payments.update(job.paymentId, { status: 'failed' });
    await tx.jobs.update(job.jobId, { status, finishedAt: at }, at);
    return tx.jobs.appendEvent(job.jobId, { type: 'job_finished', data: { status } }, at);
  });
  await ctx.journal.publish(job.jobId, event);
  await ctx.journal.publishInstance(job.instanceId);
}

/** `{step, code, message}` for the job row, and the hint (what to do) for the step_failed event. */
export function failureOf(step: string, err: unknown): { step: string; code: string; message: string; hint?: string } {
  if (err instanceof OutpostError) return { step, code: err.apiCode ?? err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  return { step, code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export type { ProvisionState };
