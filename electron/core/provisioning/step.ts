// One step of a job: recorded before it starts and after it ends (with its duration and the state
// it produced), so a crash at any instant leaves a timeline that says exactly where to resume.
import type { JobStep } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { InstancePatch } from '../db/repos/instances';
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

export async function runStep(
  ctx: PipelineContext,
  jobId: string,
  instanceId: string,
  name: JobStep,
  state: ProvisionState,
  work: () => Promise<StepOutcome>,
): Promise<ProvisionState> {
  if (state.completed.includes(name)) return state;
  ctx.journal.record(jobId, { type: 'step_started', step: name }, { step: name });
  const started = performance.now();
  let outcome: StepOutcome;
  try {
    outcome = await work();
  } catch (err) {
    throw new StepFailure(name, err);
  }
  const next: ProvisionState = { ...state, ...outcome.state, completed: [...state.completed, name] };
  ctx.journal.record(
    jobId,
    { type: 'step_succeeded', step: name, durationMs: Math.round(performance.now() - started), data: outcome.data ?? {} },
    { state: next },
    outcome.instance ? { id: instanceId, patch: outcome.instance } : undefined,
  );
  return next;
}
