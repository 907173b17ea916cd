// A job's steps as the panel shows them, derived from its event log (the log is the truth).
import { DESTROY_STEPS, isTerminalStatus, PROVISION_STEPS, type JobDetail, type JobEvent } from '../../../../shared/domain';

export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface StepView {
  name: string;
  state: StepState;
  /** ms since the job was created, when the step started. */
  offsetMs: number | null;
  /** Recorded duration, or elapsed so far for a running step. */
  durationMs: number | null;
  data: Record<string, unknown>;
  /** A running step's deliberate wait, counting down: "waiting for Hetzner's rate limit, 12 s". */
  waiting: string | null;
}

export interface Cleanup {
  name: string;
  target: string;
  outcome: string;
  id: string | null;
}


export function stepNames(kind: string): readonly string[] {
  return kind === 'destroy' ? DESTROY_STEPS : PROVISION_STEPS;
}

export function stepsOf(detail: JobDetail, now: number): StepView[] {
  const created = Date.parse(detail.job.createdAt);
  const terminal = isTerminalStatus(detail.job.status);
  const byName = new Map<string, StepView>(stepNames(detail.job.kind).map((name) => [name, { name, state: 'pending', offsetMs: null, durationMs: null, data: {}, waiting: null }]));
  for (const e of detail.events) {
    if (!e.step || (e.type !== 'step_started' && e.type !== 'step_succeeded' && e.type !== 'step_failed')) continue;
    let view = byName.get(e.step);
    if (!view) {
      view = { name: e.step, state: 'pending', offsetMs: null, durationMs: null, data: {}, waiting: null };
      byName.set(e.step, view);
    }
    const at = Date.parse(e.at);
    if (e.type === 'step_started') {
      view.state = 'running';
      view.offsetMs = at - created;
      view.durationMs = null;
    } else {
      view.state = e.type === 'step_succeeded' ? 'done' : 'failed';
      view.durationMs = e.durationMs ?? (view.offsetMs !== null ? at - created - view.offsetMs : null);
      view.offsetMs ??= at - created - (view.durationMs ?? 0);
      view.data = e.data;
    }
  }
  for (const view of byName.values()) {
    if (view.state !== 'running' || view.offsetMs === null) continue;
    if (terminal) {
      // The job ended while this step was open (a cancel): it stops where the job stopped.
      view.state = 'failed';
      view.durationMs = Date.parse(detail.job.finishedAt ?? detail.job.updatedAt) - created - view.offsetMs;
    } else {
      view.durationMs = now - created - view.offsetMs;
      view.waiting = waitingOf(detail.events, view.name, now);
    }
  }
  return [...byName.values()];
}

const CLOUD: Record<string, string> = { hetzner: 'Hetzner', tailscale: 'Tailscale' };

/**
 * The step's latest announced wait (core notes `data.wait` when a client waits on purpose), while it
 * lasts, with the seconds left; null once it is over. A step whose wait ended and that still runs
 * is doing something else.
 */
export function waitingOf(events: JobEvent[], step: string, now: number): string | null {
  const note = events.findLast((e) => e.type === 'note' && e.step === step && typeof e.data.wait === 'object' && e.data.wait !== null);
  const wait = note?.data.wait as { cloud?: unknown; reason?: unknown; until?: unknown } | undefined;
  if (!wait || typeof wait.until !== 'string') return null;
  const left = Date.parse(wait.until) - now;
  if (!(left > 0)) return null;
  const seconds = Math.max(1, Math.ceil(left / 1000));
  const cloud = CLOUD[String(wait.cloud)] ?? 'The cloud';
  if (wait.reason === 'rate_limit') return `waiting for ${cloud}'s rate limit, ${seconds} s`;
  if (wait.reason === 'unavailable') return `${cloud} answered 503; retrying in ${seconds} s`;
  return `retrying in ${seconds} s`;
}

/** The failed step's hint (what to do), which core records on the step_failed event. */
export function failureHintOf(events: JobEvent[]): string | undefined {
  const hint = events.findLast((e) => e.type === 'step_failed')?.data.hint;
  return typeof hint === 'string' && hint !== '' ? hint : undefined;
}

export function progressOf(detail: JobDetail, steps: StepView[]): number {
  if (detail.job.status === 'succeeded') return 1;
  const total = stepNames(detail.job.kind).length;
  const done = steps.filter((s) => s.state === 'done').length;
  return Math.min(1, done / total);
}

export function cleanupsOf(events: JobEvent[]): Cleanup[] {
  return events
    .filter((e) => e.type === 'compensation')
    .map((e) => ({
      name: e.step ?? 'cleanup',
      target: String(e.data.target ?? ''),
      outcome: String(e.data.outcome ?? ''),
      id: e.data.id === null || e.data.id === undefined ? null : String(e.data.id),
    }));
}

export function notesOf(events: JobEvent[]): { at: string; step: string | null; message: string }[] {
  return events.filter((e) => e.type === 'note' && typeof e.data.message === 'string').map((e) => ({ at: e.at, step: e.step, message: e.data.message as string }));
}

const OUTCOMES: Record<string, string> = {
  deleted: 'deleted',
  already_gone: 'was already gone',
  not_created: 'had not been created',
  revoked: 'revoked',
  already_invalid: 'was already used or expired',
};

export function describeCleanup(c: Cleanup): string {
  const what = c.target === 'server' ? 'Server' : c.target === 'device' ? 'Tailnet device' : c.target === 'key' ? 'Auth key' : c.name;
  return `${what}${c.id ? ` ${c.id}` : ''} ${OUTCOMES[c.outcome] ?? c.outcome}`;
}

export function elapsedOf(detail: JobDetail, now: number): number {
  const end = detail.job.finishedAt ? Date.parse(detail.job.finishedAt) : now;
  return end - Date.parse(detail.job.createdAt);
}
