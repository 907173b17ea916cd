// JobRunner: runs jobs in the background of the process that owns the store, one AbortController
// each. Cancel aborts with a `cancelled` error (compensation follows); shutdown aborts with a
// marker that leaves the job as recorded, to be resumed at the next start.
import { OutpostError } from '../../../shared/errors';
import { isTerminal, type Job } from '../../../shared/domain';
import { compensate, failureOf, finishFailed } from './compensate';
import type { PipelineContext } from './context';
import { finishDestroyFailed, runDestroy } from './destroy';
import { runProvision, type ProvisionJob } from './provision';
import { provisionPlanOf, provisionStateOf } from './job-records';
import { StepFailure } from './step';

const SHUTDOWN = Symbol('outpost.shutdown');
/** A compensation that could not finish (a cloud down) is retried after this. */
const COMPENSATION_RETRY_MS = 30_000;

export class JobRunner {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly ctx: PipelineContext) {}

  /** Starts (or resumes) a job in the background; a job already running here is left alone. */
  start(jobId: string): void {
    if (this.closed || this.active.has(jobId)) return;
    const controller = new AbortController();
    const done = this.run(jobId, controller.signal)
      .catch((err: unknown) => {
        this.ctx.log.error('job runner: unexpected failure', { jobId, error: err instanceof Error ? err.message : String(err) });
        // A damaged row is left as it is (acting on guessed state could delete the wrong server), and
        // says so on the job's own timeline, where an operator looks.
        if (err instanceof OutpostError && err.code === 'corrupt') {
          this.ctx.journal.record(jobId, { type: 'note', data: { code: err.code, message: err.message } });
        }
      })
      .finally(() => this.active.delete(jobId));
    this.active.set(jobId, { controller, done });
  }

  /** A job just written to the store: tell the renderer it exists, then run it. */
  launch(jobId: string): void {
    this.ctx.journal.publish(jobId, null);
    const instanceId = this.ctx.store.jobs.get(jobId)?.instanceId;
    if (instanceId) this.ctx.journal.publishInstance(instanceId);
    this.start(jobId);
  }

  /** Every job that is not terminal: resumed from its last completed step, or compensated. */
  resumeAll(): string[] {
    const jobs = this.ctx.store.jobs.nonTerminal();
    for (const job of jobs) this.start(job.id);
    return jobs.map((j) => j.id);
  }

  cancel(jobId: string): Job {
    const job = this.ctx.store.jobs.get(jobId);
    if (!job) throw new OutpostError('not_found', `No job ${jobId}.`);
    if (isTerminal(job)) {
      throw new OutpostError('conflict', `Job ${jobId} already ${job.status}.`);
    }
    if (job.kind === 'destroy') throw new OutpostError('conflict', 'A destroy cannot be cancelled half-way: let it finish, then provision again.');
    // Already failing or cancelled: the clean-up is running and will finish on its own.
    if (job.status === 'compensating') return job;
    this.ctx.store.jobs.requestCancel(jobId, this.ctx.journal.now());
    this.ctx.journal.record(jobId, { type: 'note', data: { message: 'Cancel requested.' } });
    const running = this.active.get(jobId);
    if (running) running.controller.abort(new OutpostError('cancelled', 'Cancelled by the operator.'));
    else this.start(jobId);
    return this.ctx.store.jobs.get(jobId)!;
  }

  /** Resolves when the job is no longer running in this process. */
  async settled(jobId: string): Promise<Job | undefined> {
    await this.active.get(jobId)?.done;
    return this.ctx.store.jobs.get(jobId);
  }

  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((a) => a.done));
  }

  get running(): string[] {
    return [...this.active.keys()];
  }

  /** Stops watching without deciding anything: jobs stay as recorded and resume at next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    for (const { controller } of this.active.values()) controller.abort(SHUTDOWN);
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private async run(jobId: string, signal: AbortSignal): Promise<void> {
    const record = this.ctx.store.jobs.record(jobId);
    if (!record || isTerminal(record.job)) return;
    if (record.job.kind === 'destroy') return this.runDestroyJob(jobId, signal);

    const job = this.provisionJob(jobId);
    if (record.job.status === 'compensating' || record.cancelRequested) {
      return this.compensateAndClose(job, record.cancelRequested, signal);
    }
    try {
      await runProvision(this.ctx, job, signal);
    } catch (err) {
      if (signal.reason === SHUTDOWN) return;
      const failure = err instanceof StepFailure ? failureOf(err.step, err.error) : failureOf(record.job.step ?? 'unknown', err);
      const cancelled = err instanceof StepFailure ? err.isCancel : false;
      this.ctx.journal.record(
        jobId,
        { type: 'step_failed', step: failure.step, data: stepFailedData(failure) },
        { status: 'compensating', error: { step: failure.step, code: failure.code, message: failure.message } },
      );
      // The job's signal may be aborted (that is how a cancel arrives); compensation gets its own,
      // which close() can still abort for a shutdown.
      const compensation = new AbortController();
      const entry = this.active.get(jobId);
      if (entry) entry.controller = compensation;
      await this.compensateAndClose(this.provisionJob(jobId), cancelled, compensation.signal);
    }
  }

  private async compensateAndClose(job: ProvisionJob, cancelled: boolean, signal: AbortSignal): Promise<void> {
    if (this.ctx.store.jobs.get(job.jobId)?.status !== 'compensating') {
      this.ctx.journal.record(job.jobId, { type: 'note', data: { message: 'Compensating.' } }, { status: 'compensating' });
    }
    try {
      await compensate(this.ctx, job, signal);
      finishFailed(this.ctx, job, cancelled);
    } catch (err) {
      if (signal.reason === SHUTDOWN) return;
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.journal.record(job.jobId, { type: 'note', data: { message: `Compensation incomplete: ${message}. Retrying in ${COMPENSATION_RETRY_MS / 1000} s.` } });
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.start(job.jobId);
      }, COMPENSATION_RETRY_MS);
      timer.unref();
      this.retries.add(timer);
    }
  }

  private async runDestroyJob(jobId: string, signal: AbortSignal): Promise<void> {
    try {
      await runDestroy(this.ctx, jobId, signal);
    } catch (err) {
      if (signal.reason === SHUTDOWN) return;
      const step = err instanceof StepFailure ? err.step : 'destroy';
      const failure = failureOf(step, err instanceof StepFailure ? err.error : err);
      this.ctx.journal.record(jobId, { type: 'step_failed', step, data: stepFailedData(failure) });
      finishDestroyFailed(this.ctx, jobId, { step: failure.step, code: failure.code, message: failure.message });
    }
  }

  private provisionJob(jobId: string): ProvisionJob {
    const record = this.ctx.store.jobs.record(jobId)!;
    const instance = this.ctx.store.instances.get(record.job.instanceId ?? '');
    if (!instance) throw new OutpostError('internal', `Job ${jobId} has no instance row.`);
    return {
      jobId,
      instanceId: instance.id,
      agentId: instance.agentId,
      paymentId: record.job.paymentId,
      plan: provisionPlanOf(record),
      state: provisionStateOf(record),
    };
  }
}

/** The step_failed event's data: code and message as on the job row, and the hint when there is one. */
function stepFailedData(failure: ReturnType<typeof failureOf>): Record<string, unknown> {
  return { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
}
