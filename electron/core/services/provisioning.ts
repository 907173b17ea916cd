// provision:start / cancel, jobs:list / get, instances:get / destroy: the pipeline behind the contract.
import type { ParsedReq } from '../../../shared/contract';
import type { InstanceDetail, JobDetail } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { batchPlans, insertBatch } from '../provisioning/batch';
import { insertDestroy } from '../provisioning/destroy';
import { provisionPlanOf } from '../provisioning/job-records';
import { insertReservation, planProvision, retryInput } from '../provisioning/reserve';
import type { ServicesDeps } from './deps';

export function provisioningServices(deps: ServicesDeps) {
  const { store, runner, pipeline } = deps;
  const now = () => new Date(deps.clock.now()).toISOString();

  const jobDetail = async (jobId: string): Promise<JobDetail> => {
    const job = await store.jobs.get(jobId);
    if (!job) throw new OutpostError('not_found', `No job ${jobId}.`, { hint: 'It may belong to the other mode (sandbox / live).' });
    return { job, events: await store.jobs.events(jobId) };
  };

  return {
    'provision:start': async (req: ParsedReq<'provision:start'>) => {
      const quantity = req.quantity ?? 1;
      if (quantity > 1 && req.name) {
        throw new OutpostError('invalid_input', 'provision:start: name: a chosen VM name fits one VM, not a batch of them.', {
          hint: `Leave name empty to provision ${quantity} VMs (each gets the agent's name and a unique suffix), or set quantity to 1.`,
        });
      }
      const started = performance.now();
      const plan = await planProvision(store, pipeline.clouds, pipeline.config, req);
      if (quantity === 1) {
        const r = await insertReservation(store, plan, now(), null, performance.now() - started);
        await runner.launch(r.jobId);
        return { jobId: r.jobId, instanceId: r.instanceId, groupId: null, jobs: [{ jobId: r.jobId, instanceId: r.instanceId }] };
      }
      const batch = await insertBatch(store, await batchPlans(store, plan, quantity), now(), performance.now() - started);
      // Launched all at once: the rate budget paces their Hetzner calls and the action watcher polls them
      // in batches, so a batch cannot burst past the project's limit.
      for (const r of batch.reservations) await runner.launch(r.jobId);
      const jobs = batch.reservations.map((r) => ({ jobId: r.jobId, instanceId: r.instanceId }));
      return { ...jobs[0]!, groupId: batch.groupId, jobs };
    },

    'provision:cancel': async (req: ParsedReq<'provision:cancel'>) => runner.cancel(req.jobId),

    'jobs:retry': async (req: ParsedReq<'jobs:retry'>) => {
      const failed = await store.jobs.record(req.jobId);
      if (!failed) throw new OutpostError('not_found', `No job ${req.jobId}.`);
      const alreadyRetried = (by: string) =>
        new OutpostError('conflict', `Job ${req.jobId} was already retried by job ${by}.`, { hint: `Open job ${by} instead: a job is retried once.` });
      if (failed.job.retriedBy) throw alreadyRetried(failed.job.retriedBy);
      if (failed.job.kind !== 'provision' || (failed.job.status !== 'failed' && failed.job.status !== 'cancelled')) {
        throw new OutpostError('conflict', `Only a failed or cancelled provision can be retried; ${req.jobId} is a ${failed.job.kind} that ${failed.job.status === 'succeeded' ? 'succeeded' : `is ${failed.job.status}`}.`);
      }
      const paymentId = failed.job.paymentId;
      const started = performance.now();
      const plan = await planProvision(store, pipeline.clouds, pipeline.config, retryInput(provisionPlanOf(failed)));
      const reservation = await store.transaction(async (tx) => {
        // Checked again in the transaction: another call may have retried it while the catalog was read.
        // The jobs_retry_of UNIQUE index would refuse a second retry anyway; this names the winner.
        const winner = (await tx.jobs.get(req.jobId))?.retriedBy;
        if (winner) throw alreadyRetried(winner);
        if (paymentId) {
          const payment = await tx.payments.get(paymentId);
          if (payment && payment.jobId !== req.jobId) {
            throw new OutpostError('conflict', `Payment ${payment.reference} was already retried by job ${payment.jobId}.`, { hint: 'Open that job instead.' });
          }
        }
        const r = await insertReservation(tx, plan, now(), paymentId, performance.now() - started, req.jobId);
        if (paymentId) await tx.payments.update(paymentId, { status: 'provisioning', jobId: r.jobId, instanceId: r.instanceId });
        await tx.jobs.appendEvent(r.jobId, { type: 'note', data: { message: `Retry of ${req.jobId}.`, retryOf: req.jobId } }, now());
        const note = await tx.jobs.appendEvent(req.jobId, { type: 'note', data: { message: `Retried by ${r.jobId}.`, retriedBy: r.jobId } }, now());
        return { ...r, note };
      });
      await runner.launch(reservation.jobId);
      // The failed job now links to its retry: tell the panel, so Retry disables everywhere at once.
      await pipeline.journal.publish(req.jobId, reservation.note);
      return { jobId: reservation.jobId, instanceId: reservation.instanceId };
    },

    'jobs:list': async (req: ParsedReq<'jobs:list'>) => store.jobs.list({ statuses: req.status, limit: req.limit ?? 200 }),

    'jobs:get': async (req: ParsedReq<'jobs:get'>) => jobDetail(req.jobId),

    'instances:get': async (req: ParsedReq<'instances:get'>): Promise<InstanceDetail> => {
      const instance = await store.instances.get(req.instanceId);
      if (!instance) throw new OutpostError('not_found', `No instance ${req.instanceId}.`);
      const jobs = await store.jobs.forInstance(instance.id);
      return { instance, jobs: await Promise.all(jobs.map((j) => jobDetail(j.id))) };
    },

    'instances:destroy': async (req: ParsedReq<'instances:destroy'>) => {
      const instance = await store.instances.get(req.instanceId);
      if (!instance) throw new OutpostError('not_found', `No instance ${req.instanceId}.`);
      if (req.confirmName !== instance.name) {
        throw new OutpostError('invalid_input', `The name typed does not match ${instance.name}.`, {
          hint: `Type ${instance.name} exactly to confirm. Nothing was changed.`,
        });
      }
      const jobId = await insertDestroy(store, instance.id, now());
      await runner.launch(jobId);
      return { jobId };
    },
  };
}
