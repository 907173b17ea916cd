// JobRunner: runs in the background the jobs this process holds (lease.ts: several processes may
// share the store, and each job runs in exactly one), one AbortController each. Cancel aborts with a
// `cancelled` error (compensation follows); shutdown aborts with a marker that leaves the job as
// recorded and gives its lease back, to be resumed by the next process that claims it. A lease lost
// to another process (this one stalled past its expiry) stops this run quietly: the new holder
// continues the job from its journal. Every third of the lease the runner renews its leases, picks
// up cancels requested through other processes, and claims jobs whose holder died.
import { OutpostError } from '../../../shared/errors';
import { isTerminal, type Job } from '../../../shared/domain';
import { compensate, failureOf, finishFailed } from './compensate';
import type { PipelineContext } from './context';
import { finishDestroyFailed, runDestroy } from './destroy';
import { runProvision, type ProvisionJob } from './provision';
import { provisionPlanOf, provisionStateOf } from './job-records';
import { LeaseLost } from './lease';
import { StepFailure } from './step';

const SHUTDOWN = Symbol('outpost.shutdown');
/** A compensation that could not finish (a cloud down) is retried after this. */
const COMPENSATION_RETRY_MS = 30_000;

interface ActiveJob {
  controller: AbortController;
  done: Promise<void>;
  /** Cancelled or compensating already: a cancel request must not abort it (again). */
  cancelling: boolean;
}

export class JobRunner {
  private readonly active = new Map<string, ActiveJob>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private leaseTimer: NodeJS.Timeout | null = null;
  /** Whether the lease round also claims jobs whose holder died (from resumeAll on). */
  private claimExpired = false;
  private ticking = false;
  private closed = false;

  constructor(private readonly ctx: PipelineContext) {}

  /**
   * Starts (or resumes) a job in the background if this process holds it or can claim it; a job
   * already running here, or held by another live process, is left alone.
   */
  start(jobId: string): void {
    if (this.closed || this.active.has(jobId)) return;
    this.watchLeases();
    const entry: ActiveJob = { controller: new AbortController(), done: Promise.resolve(), cancelling: false };
    entry.done = this.ctx.leases
      .acquire(jobId)
      .then((held) => (held && !this.closed ? this.ctx.leases.run(jobId, () => this.run(jobId, entry)) : undefined))
      .catch(async (err: unknown) => {
        if (err instanceof LeaseLost) {
          this.ctx.log.info('job runner: lease lost, the job continues in the process holding it now', { jobId });
          return;
        }
        this.ctx.log.error('job runner: unexpected failure', { jobId, error: err instanceof Error ? err.message : String(err) });
        // A damaged row is left as it is (acting on guessed state could delete the wrong server), and
        // says so on the job's own timeline, where an operator looks.
        if (err instanceof OutpostError && err.code === 'corrupt') {
          await this.ctx.journal.record(jobId, { type: 'note', data: { code: err.code, message: err.message } }).catch((noteErr: unknown) => {
            this.ctx.log.error('job runner: could not note the damaged row', { jobId, error: noteErr instanceof Error ? noteErr.message : String(noteErr) });
          });
        }
      })
      .then(() => this.releaseIfFinished(jobId))
      .finally(() => this.active.delete(jobId));
    this.active.set(jobId, entry);
  }

  /** A job just written to the store: tell the renderer it exists, then run it. */
  async launch(jobId: string): Promise<void> {
    try {
      await this.ctx.journal.publish(jobId, null);
      const instanceId = (await this.ctx.store.jobs.get(jobId))?.instanceId;
      if (instanceId) await this.ctx.journal.publishInstance(instanceId);
    } finally {
      // The job is recorded (leased to this process in the same transaction): it runs even if
      // telling the renderer failed.
      this.start(jobId);
    }
  }

  /**
   * At start: claims every unfinished job no live process holds (on a store no other process uses,
   * every unfinished job) and resumes each from its last completed step, or compensates it. From
   * then on, jobs whose holder died are claimed as their leases expire.
   */
  async resumeAll(): Promise<string[]> {
    const claimed = await this.ctx.leases.claim({ takeOver: this.ctx.leases.exclusive });
    this.claimExpired = true;
    this.watchLeases();
    for (const jobId of claimed) this.start(jobId);
    return claimed;
  }

  async cancel(jobId: string): Promise<Job> {
    // Checked and requested in one transaction: the job may finish (here or in another process
    // sharing the store) between a read and the write.
    const compensating = await this.ctx.store.transaction(async (tx) => {
      const job = await tx.jobs.get(jobId);
      if (!job) throw new OutpostError('not_found', `No job ${jobId}.`);
      if (isTerminal(job)) {
        throw new OutpostError('conflict', `Job ${jobId} already ${job.status}.`);
      }
      if (job.kind === 'destroy') throw new OutpostError('conflict', 'A destroy cannot be cancelled half-way: let it finish, then provision again.');
      // Already failing or cancelled: the clean-up is running and will finish on its own.
      if (job.status === 'compensating') return job;
      await tx.jobs.requestCancel(jobId, this.ctx.journal.now());
      return null;
    });
    if (compensating) return compensating;
    await this.ctx.journal.record(jobId, { type: 'note', data: { message: 'Cancel requested.' } });
    const running = this.active.get(jobId);
    if (running) this.abortForCancel(running);
    // Not running here: run here if no live process holds it (the cancel then compensates at once);
    // else its holder sees the request at its next lease renewal, or sooner through the store's
    // notifications (checkCancel).
    else this.start(jobId);
    return (await this.ctx.store.jobs.get(jobId))!;
  }

  /** A cancel may have been requested through another process for a job running here: act on it. */
  async checkCancel(jobId: string): Promise<void> {
    const entry = this.active.get(jobId);
    if (!entry || entry.cancelling) return;
    if ((await this.ctx.store.jobs.record(jobId))?.cancelRequested) this.abortForCancel(entry);
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

  /**
   * Stops watching without deciding anything: jobs stay as recorded, their leases given back so any
   * process sharing the store (or this one's next start) resumes them at once. `keepLeases` leaves
   * them to expire instead, as a process that died would (tests).
   */
  async close(options: { keepLeases?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    for (const timer of this.retries) clearTimeout(timer);
    for (const { controller } of this.active.values()) controller.abort(SHUTDOWN);
    await Promise.all([...this.active.values()].map((a) => a.done));
    if (options.keepLeases) this.ctx.leases.abandon();
    else {
      await this.ctx.leases.release().catch((err: unknown) => {
        this.ctx.log.warn('job runner: could not give the leases back; they expire on their own', { error: err instanceof Error ? err.message : String(err) });
      });
    }
  }

  private abortForCancel(entry: ActiveJob): void {
    if (entry.cancelling) return;
    entry.cancelling = true;
    entry.controller.abort(new OutpostError('cancelled', 'Cancelled by the operator.'));
  }

  /** Renews and claims every third of the lease, from the first job held (or resumeAll) until close. */
  private watchLeases(): void {
    if (this.leaseTimer || this.closed) return;
    this.leaseTimer = setInterval(() => void this.leaseRound(), this.ctx.leases.intervalMs);
    this.leaseTimer.unref();
  }

  private async leaseRound(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      // Renewal first: a lease of this process's that lapsed while the store was out of reach is
      // taken back by its renewal, not claimed anew (which would stale the token of its own run).
      const { lost, cancelRequested } = await this.ctx.leases.renew();
      for (const jobId of lost) this.active.get(jobId)?.controller.abort(new LeaseLost(jobId));
      for (const jobId of cancelRequested) {
        const entry = this.active.get(jobId);
        if (entry) this.abortForCancel(entry);
      }
      if (this.claimExpired && !this.closed) {
        for (const jobId of await this.ctx.leases.claim()) this.start(jobId);
      }
    } catch (err) {
      this.ctx.log.warn('job runner: lease round failed; retrying at the next one', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.ticking = false;
    }
  }

  /** A job that reached its end no longer needs this process: its lease is given back. */
  private async releaseIfFinished(jobId: string): Promise<void> {
    if (this.closed || !this.ctx.leases.holds(jobId)) return;
    try {
      const job = await this.ctx.store.jobs.get(jobId);
      if (!job || isTerminal(job)) await this.ctx.leases.release([jobId]);
    } catch (err) {
      this.ctx.log.warn('job runner: could not give a finished job\'s lease back', { jobId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async run(jobId: string, entry: ActiveJob): Promise<void> {
    const signal = entry.controller.signal;
    const record = await this.ctx.store.jobs.record(jobId);
    if (!record || isTerminal(record.job)) return;
    if (record.job.kind === 'destroy') return this.runDestroyJob(jobId, signal);

    const job = await this.provisionJob(jobId);
    if (record.job.status === 'compensating' || record.cancelRequested) {
      entry.cancelling = true;
      return this.compensateAndClose(job, record.cancelRequested, signal);
    }
    try {
      await runProvision(this.ctx, job, signal);
    } catch (err) {
      if (interrupted(signal, err)) return;
      const failure = err instanceof StepFailure ? failureOf(err.step, err.error) : failureOf(record.job.step ?? 'unknown', err);
      const cancelled = err instanceof StepFailure ? err.isCancel : false;
      await this.ctx.journal.record(
        jobId,
        { type: 'step_failed', step: failure.step, data: stepFailedData(failure) },
        { status: 'compensating', error: { step: failure.step, code: failure.code, message: failure.message } },
      );
      // The job's signal may be aborted (that is how a cancel arrives); compensation gets its own,
      // which close() can still abort for a shutdown.
      const compensation = new AbortController();
      entry.controller = compensation;
      entry.cancelling = true;
      await this.compensateAndClose(await this.provisionJob(jobId), cancelled, compensation.signal);
    }
  }

  private async compensateAndClose(job: ProvisionJob, cancelled: boolean, signal: AbortSignal): Promise<void> {
    if ((await this.ctx.store.jobs.get(job.jobId))?.status !== 'compensating') {
      await this.ctx.journal.record(job.jobId, { type: 'note', data: { message: 'Compensating.' } }, { status: 'compensating' });
    }
    try {
      await compensate(this.ctx, job, signal);
      await finishFailed(this.ctx, job, cancelled);
    } catch (err) {
      if (interrupted(signal, err)) return;
      const message = err instanceof Error ? err.message : String(err);
      await this.ctx.journal.record(job.jobId, { type: 'note', data: { message: `Compensation incomplete: ${message}. Retrying in ${COMPENSATION_RETRY_MS / 1000} s.` } });
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
      if (interrupted(signal, err)) return;
      const step = err instanceof StepFailure ? err.step : 'destroy';
      const failure = failureOf(step, err instanceof StepFailure ? err.error : err);
      await this.ctx.journal.record(jobId, { type: 'step_failed', step, data: stepFailedData(failure) });
      await finishDestroyFailed(this.ctx, jobId, { step: failure.step, code: failure.code, message: failure.message });
    }
  }

  private async provisionJob(jobId: string): Promise<ProvisionJob> {
    const record = (await this.ctx.store.jobs.record(jobId))!;
    const instance = await this.ctx.store.instances.get(record.job.instanceId ?? '');
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

/**
 * Whether a run must stop without deciding anything: true on shutdown; a lost lease (the renewal
 * found it claimed, or a write was refused by its fence) is rethrown as LeaseLost for start() to log.
 */
function interrupted(signal: AbortSignal, err: unknown): boolean {
  if (signal.reason === SHUTDOWN) return true;
  const lost = [signal.reason, err, err instanceof StepFailure ? err.error : null].find((e) => e instanceof LeaseLost);
  if (lost) throw lost;
  return false;
}

/** The step_failed event's data: code and message as on the job row, and the hint when there is one. */
function stepFailedData(failure: ReturnType<typeof failureOf>): Record<string, unknown> {
  return { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
}
