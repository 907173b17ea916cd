// How an action's `progress` moves while it runs. Hetzner documents `progress` only as "percent"
// (0–100) with no promise about its shape, so the simulator offers several shapes and defaults to
// the one the evidence supports (README, simulator section):
// - recorded answers to `POST /servers` show create_server and start_server both `running` with
//   progress 0 and the same `started` second: start_server cannot move before the server exists;
// - progress can stall for a long time (hcloud-cli#833: a server-type change at 80 % for 2 hours);
// - the official clients (hcloud-go, hcloud-cli) wait on `status` and show progress only.
//
// A shape becomes a curve when the action is created (knots of absolute time and percent, drawn
// from a stream of its own so the world's ids and delays do not shift), and the curve is kept in
// the action record, so a restarted simulator moves it the same way.
import { Rng, deriveSeed } from '../clock';
import type { ActionRecord } from '../model';

export const PROGRESS_SHAPES = ['realistic', 'linear', 'zero', 'steps', 'stall', 'late', 'ahead'] as const;
export type ProgressShape = (typeof PROGRESS_SHAPES)[number];
export const DEFAULT_PROGRESS_SHAPE: ProgressShape = 'realistic';

export const PROGRESS_SHAPE_HELP: Record<ProgressShape, string> = {
  realistic: 'the default: start_server at 0 until create_server is done, then uneven steps; other actions in 1–3 uneven steps, the first late',
  linear: 'grows linearly from the start to the end (the best case for anyone extrapolating it)',
  zero: '0 until done',
  steps: '0, then 1–3 jumps late in the action (e.g. 0 … 50 at 80 % of the time … done)',
  stall: 'races to 60–90 % in the first quarter, then stalls there until done',
  late: 'start_server at 0 until create_server is done, then linear; other actions linear',
  ahead: 'reaches 99 % within the first third, then sits there until done',
};

export function isProgressShape(v: unknown): v is ProgressShape {
  return typeof v === 'string' && (PROGRESS_SHAPES as readonly string[]).includes(v);
}

/** One point of a curve: at `at` (epoch ms) the reading is `percent`; straight lines in between. */
export interface ProgressKnot {
  at: number;
  percent: number;
}

/** Uneven steps from `from` to `to`: 1–3 jumps, the first after half the time. */
function unevenSteps(rng: Rng, from: number, to: number, first: number): ProgressKnot[] {
  const span = to - from;
  const knots: ProgressKnot[] = [{ at: from, percent: 0 }];
  let at = from + span * rng.between(first, 0.85);
  let percent = 0;
  const jumps = rng.int(1, 3);
  for (let i = 0; i < jumps && at < to; i++) {
    knots.push({ at, percent });
    percent = Math.min(99, percent + rng.pick([10, 25, 40, 50]));
    knots.push({ at, percent });
    at += (to - at) * rng.between(0.3, 0.7);
  }
  return knots;
}

/**
 * The curve of a new action. `idleUntil` is when its resource comes to exist (start_server: the
 * end of create_server); shapes that follow the evidence keep it at 0 until then.
 */
export function progressCurve(shape: ProgressShape, seed: number, action: Pick<ActionRecord, 'id' | 'started' | 'finishAt'>, idleUntil?: number): ProgressKnot[] {
  const rng = new Rng(deriveSeed(seed, `progress:${action.id}`));
  const { started: from, finishAt: to } = action;
  const idle = idleUntil !== undefined && idleUntil > from && idleUntil < to ? idleUntil : from;
  const span = to - from;
  switch (shape) {
    case 'linear':
      return [{ at: from, percent: 0 }, { at: to, percent: 100 }];
    case 'zero':
      return [{ at: from, percent: 0 }];
    case 'steps':
      return unevenSteps(rng, from, to, 0.5);
    case 'stall': {
      const hold = rng.int(60, 90);
      return [{ at: from, percent: 0 }, { at: from + span * rng.between(0.1, 0.25), percent: hold }];
    }
    case 'late':
      return [{ at: from, percent: 0 }, { at: idle, percent: 0 }, { at: to, percent: 100 }];
    case 'ahead':
      return [{ at: from, percent: 0 }, { at: from + span * rng.between(0.1, 0.33), percent: 99 }];
    case 'realistic':
      return idle > from ? [{ at: from, percent: 0 }, ...unevenSteps(rng, idle, to, 0.2)] : unevenSteps(rng, from, to, 0.5);
  }
}

/** The reading of a running action at `now`: the curve, floored, 0–99 (100 is for `success`). */
export function curveProgress(knots: readonly ProgressKnot[], now: number): number {
  let value = 0;
  for (let i = 0; i < knots.length; i++) {
    const k = knots[i]!;
    if (now < k.at) {
      const prev = knots[i - 1];
      if (prev && k.at > prev.at) value = prev.percent + ((k.percent - prev.percent) * (now - prev.at)) / (k.at - prev.at);
      break;
    }
    value = k.percent;
  }
  return Math.max(0, Math.min(99, Math.floor(value)));
}
