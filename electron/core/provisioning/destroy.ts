// Destroy is a job too: delete the server (and wait), delete the device, revoke the key if still
// valid, then mark the instance and its agent destroyed. Each step is idempotent, so a destroy
// interrupted anywhere is simply run again.
import { isTerminal, type DestroyStep } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { Store } from '../db/store';
import { newId } from '../ids';
import { withAttempts } from './attempts';
import { removeDevice, removeServer, revokeJobKeys } from './cleanup';
import { jobLabel, type PipelineContext, type ProvisionState } from './context';
import { destroyParamsOf, provisionStateOf } from './job-records';
import { runStep } from './step';

/**
 * Creates the destroy job (status queued) after checking the instance can be destroyed, in one
 * transaction (inside another, pass its `tx`), so the check holds when the job is written.
 */
export async function insertDestroy(store: Store, instanceId: string, at: string): Promise<string> {
  return store.transaction(async (tx) => {
    const instance = await tx.instances.get(instanceId);
    if (!instance) throw new OutpostError('not_found', `No instance ${instanceId}.`, { hint: 'Refresh the fleet: it may have been removed.' });
    if (instance.status === 'destroyed') throw new OutpostError('conflict', `${instance.name} is already destroyed.`);
    const active = (await tx.jobs.forInstance(instanceId)).find((j) => !isTerminal(j));
    if (active) {
      throw new OutpostError('conflict', `${instance.name} has a ${active.kind} job in progress (${active.id}).`, {
        hint: active.kind === 'provision' ? 'Cancel the provision job instead: it removes everything it made.' : 'Wait for the running destroy to finish.',
      });
    }
    const jobId = newId('job');
    await tx.jobs.insert({ id: jobId, kind: 'destroy', instanceId, paymentId: null, params: { provisionJobId: instance.jobId, name: instance.name }, at });
    await tx.jobs.appendEvent(jobId, { type: 'job_created', data: { kind: 'destroy', instanceId, name: instance.name } }, at);
    await tx.jobs.update(jobId, { status: 'running', state: { completed: [] } }, at);
    await tx.instances.update(instanceId, { status: 'destroying' }, at);
    return jobId;
  });
}

export async function runDestroy(ctx: PipelineContext, jobId: string, signal: AbortSignal): Promise<void> {
  const record = await ctx.store.jobs.record(jobId);
  const instanceId = record?.job.instanceId;
  const instance = instanceId ? await ctx.store.instances.get(instanceId) : undefined;
  if (!record || !instance) throw new OutpostError('not_found', `Destroy job ${jobId} has no instance.`);
  const { provisionJobId } = destroyParamsOf(record);
  const provisionRecord = provisionJobId ? await ctx.store.jobs.record(provisionJobId) : undefined;
  const provisionState = provisionRecord ? provisionStateOf(provisionRecord) : undefined;
  let state: ProvisionState = provisionStateOf(record);
  // Every destroy step is idempotent: a transient failure is retried before the job gives up.
  const step = (name: DestroyStep, work: Parameters<typeof runStep>[5]) =>
    runStep(ctx, jobId, instance.id, name, state, () => withAttempts(ctx, jobId, name, work, signal));

  state = await step('delete_server', async () => {
    const result = await removeServer(
      ctx.clouds,
      { serverId: instance.serverId ?? undefined, jobLabel: jobLabel(provisionJobId ?? 'none') },
      signal,
      ctx.config.compensationTimeoutMs,
    );
    return { data: { ...result } };
  });
  // An adopted instance has no local job: its device is the one that joined (exact hostname, our
  // tags) after its server was created, and a key still valid would carry its creating job's id.
  const adopted = instance.origin === 'adopted';
  const keyCreated = provisionState?.keyCreated ?? (adopted ? instance.createdAt : undefined);
  const keyJobId = provisionJobId ?? (adopted ? await ctx.store.instances.originJob(instance.id) : null) ?? 'none';
  state = await step('delete_device', async () => {
    const result = await removeDevice(ctx.clouds, { nodeId: instance.nodeId ?? undefined, hostname: instance.hostname, keyCreated }, signal);
    return { instance: { enrollment: 'gone' }, data: { ...result } };
  });
  state = await step('revoke_key', async () => ({
    data: { ...(await revokeJobKeys(ctx.clouds, keyJobId, (await ctx.store.instances.keyId(instance.id)) ?? undefined, signal)) },
  }));

  const at = ctx.journal.now();
  const event = await ctx.journal.transaction(jobId, async (tx) => {
    await tx.instances.update(instance.id, { status: 'destroyed', destroyedAt: at }, at);
    await tx.agents.setStatus(instance.agentId, 'destroyed', at);
    await tx.jobs.update(jobId, { status: 'succeeded', finishedAt: at, state }, at);
    return tx.jobs.appendEvent(jobId, { type: 'job_finished', data: { status: 'succeeded' } }, at);
  });
  await ctx.journal.publish(jobId, event);
  await ctx.journal.publishInstance(instance.id);
}

/** A destroy that failed: recorded, the instance left `destroying` so the operator can retry. */
export async function finishDestroyFailed(ctx: PipelineContext, jobId: string, error: { step: string; code: string; message: string }): Promise<void> {
  const at = ctx.journal.now();
  const event = await ctx.journal.transaction(jobId, async (tx) => {
    await tx.jobs.update(jobId, { status: 'failed', error, finishedAt: at }, at);
    return tx.jobs.appendEvent(jobId, { type: 'job_finished', data: { status: 'failed' } }, at);
  });
  await ctx.journal.publish(jobId, event);
}
