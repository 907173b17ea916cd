// One step of a job: recorded before it starts and after it ends (with its duration and the state
// it produced), so a crash at any instant leaves a timeline that says exactly where to resume.
import type { JobEvent, JobStep } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { InstancePatch } from '../db/repos/instances';
import { describeWait, withWaitReporter, type WaitReporter } from '../wait-report';
import type { PipelineContext, ProvisionState } from './context';

export interface StepOutcome {
  state?: Partial<ProvisionState>;
  instance?: InstancePatch;
  /** Shown in the timeline (never a secret). */
  data?: Record<string, unknown>;
}

/** A step that failed: which one, and the error to record as `{step, code, message}`. */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'StepFailure';
  }

  get isCancel(): boolean {
    return this.error instanceof OutpostError && this.error.code === 'cancelled';
  }
}

/** How many times the job's timeline says `step` was started (each start is journaled before its work). */
export const timesStarted = (events: readonly JobEvent[], step: JobStep): number =>
  events.filter((e) => e.type === 'step_started' && e.step === step).length;

export async function runStep(
  ctx: PipelineContext,
  jobId: string,
  instanceId: string,
  name: JobStep,
  state: ProvisionState,
  work: () => Promise<StepOutcome>,
): Promise<ProvisionState> {
  if (state.completed.includes(name)) return state;
  await ctx.journal.record(jobId, { type: 'step_started', step: name }, { step: name });
  const started = performance.now();
  let outcome: StepOutcome;
  const waits = waitNotes(ctx, jobId, name);
  try {
    outcome = await withWaitReporter(waits.report, work);
  } catch (err) {
    throw new StepFailure(name, err);
  } finally {
    // The step's wait notes land before what follows it (its end, or its failure and compensation).
    await waits.close();
  }
  const next: ProvisionState = { ...state, ...outcome.state, completed: [...state.completed, name] };
  await ctx.journal.record(
    jobId,
    { type: 'step_succeeded', step: name, durationMs: Math.round(performance.now() - started), data: outcome.data ?? {} },
    { state: next },
    outcome.instance ? { id: instanceId, patch: outcome.instance } : undefined,
  );
  return next;
}

/**
 * A deliberate wait inside a step (a cloud's rate limit, a backoff before retrying a 503) becomes a
 * note on the timeline while it happens: `data.wait` says why and until when, so the panel can show
 * "waiting for Hetzner's rate limit, 12 s" instead of a step that looks hung. A wait already
 * announced is not repeated; nothing is noted once the step has ended (a shared poller may carry
 * this step's context past it).
 *
 * The cloud client that reports a wait does not await its note, so the notes are chained here: each
 * is written after the one before (the timeline keeps their order), a failed write is logged rather
 * than left unhandled, and `close()` resolves once every note is written.
 */
function waitNotes(ctx: PipelineContext, jobId: string, step: JobStep): { report: WaitReporter; close(): Promise<void> } {
  let open = true;
  let announced = { reason: '', until: 0 };
  let written: Promise<void> = Promise.resolve();
  return {
    report: (wait) => {
      if (!open) return;
      const now = Date.parse(ctx.journal.now());
      const until = now + Math.max(0, wait.delayMs);
      if (wait.reason === announced.reason && until <= announced.until + 1000) return;
      announced = { reason: wait.reason, until };
      const note = {
        type: 'note' as const,
        step,
        data: { message: describeWait(wait), wait: { cloud: wait.cloud, reason: wait.reason, delayMs: Math.round(wait.delayMs), until: new Date(until).toISOString(), ...(wait.apiCode ? { apiCode: wait.apiCode } : {}) } },
      };
      written = written
        .then(() => ctx.journal.record(jobId, note))
        .then(
          () => undefined,
          (err: unknown) => ctx.log.warn('job: wait note not recorded', { jobId, step, error: err instanceof Error ? err.message : String(err) }),
        );
    },
    close: () => {
      open = false;
      return written;
    },
  };
}
