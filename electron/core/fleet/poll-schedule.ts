// When to look again at one pending action. Pure, so it is tested on its own.
//
// The promise (issue 13): every action is detected within its *allowance*
// max(floorMs, fraction × elapsed since it started), whatever its `progress` does. Hetzner
// documents `progress` only as "percent", with no promise about its shape: it may stay at 0 until
// done, jump late, stall for hours (hcloud-cli#833) or extrapolate to a wrong end. The official
// clients wait on `status` alone. So the schedule rests on what is guaranteed, done / not done:
//
//   after seeing the action running at q, poll again by q + allowance(q − start).
//
// An end anywhere in (q, q'] is then seen within the allowance, and no schedule that reads only
// done / not done can be sparser (this is the "cold bound" of the benchmark). Two things may move
// the first polls, and only these:
//
// - History (warm): the shortest duration learned for the command, times a margin, is the
//   earliest plausible end E. Before E there is nothing to detect, so the chain starts at E
//   (the "informed bound"). Actions shorter than anything learned are the price: they are
//   detected at E (on time down to E − allowance(E)).
// - Progress may only make a poll *earlier* than that, never later: a reading that extrapolates
//   (linearly, from the start) to an end before E pulls one probe in (once per action, so
//   progress that runs ahead and stalls at 99 % costs one poll, not a cold chain), never closer
//   than one allowance after the last sighting. It never postpones one: a reading of 0 %, a stall
//   or a late jump leave the done / not-done schedule exactly as it was.

export interface ScheduleParams {
  /** Absolute lower bound of any interval (default 500; the allowance floor is higher anyway). */
  minMs: number;
  /** Upper bound of any interval, also of the wait towards a distant earliest end (default 30 s). */
  maxMs: number;
  /** Latency allowed regardless of duration (default 1000). */
  floorMs: number;
  /** Latency allowed as a share of elapsed time (default 0.1). */
  fraction: number;
  /**
   * Share of the shortest learned duration taken as the earliest plausible end (default 0.9): a
   * new action a little shorter than every earlier one is still seen on time, since a poll at E
   * covers ends down to E − allowance(E), i.e. about 0.81 × the shortest learned duration.
   */
  historyMargin: number;
  /**
   * Share of each interval kept for what happens between "due" and "answer read" (timer
   * lateness, a busy event loop, the request itself), on top of the measured round trip
   * (default 0.05: 50 ms of a 1 s interval).
   */
  slack: number;
}

export const DEFAULT_SCHEDULE: ScheduleParams = { minMs: 500, maxMs: 30_000, floorMs: 1000, fraction: 0.1, historyMargin: 0.9, slack: 0.05 };

/** One sighting of a running action's `progress` (0–100), at the local time the poll was sent. */
export interface ProgressReading {
  at: number;
  percent: number;
}

export interface ActionTiming {
  /** When the action started, local clock. */
  startedAt: number;
  /** When a poll last saw it running (sent time; the start itself before any poll). */
  lastRunningAt: number;
  /** Earliest plausible end from history (absolute), undefined when nothing is learned. */
  earliestEnd?: number | undefined;
  /** Its latest progress reading, if any, and whether it may still pull a probe in. */
  progress?: ProgressReading | undefined;
  probeAllowed?: boolean;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The latency allowed for an end at `elapsedMs` after the start: max(floor, fraction × elapsed), ≤ maxMs. */
export function allowance(elapsedMs: number, p: ScheduleParams): number {
  return clamp(Math.max(p.floorMs, p.fraction * elapsedMs), p.minMs, p.maxMs);
}

/**
 * The earliest end a progress reading allows if progress grew linearly from the start (the
 * done share is below p + 1 %). Undefined for 0 % (no information) and readings at the start.
 * Only ever used to poll earlier, so a curve that is not linear cannot make a poll late.
 */
export function progressEnd(startedAt: number, r: ProgressReading | undefined): number | undefined {
  if (!r) return undefined;
  const a = r.at - startedAt;
  if (!(a > 0) || !(r.percent >= 1)) return undefined;
  return startedAt + (a * 100) / (Math.min(r.percent, 99) + 1);
}

/**
 * Absolute local time of the next poll this action needs. `marginMs` is taken off every interval
 * for the time an answer takes to arrive (a poll detects when its answer is back, not when sent).
 */
export function nextPollAt(t: ActionTiming, p: ScheduleParams, budgetLevel = 1, marginMs = 0): number {
  const step = allowance(t.lastRunningAt - t.startedAt, p);
  // The margin is capped: one slow answer (a retried request) must not turn the chain into a burst.
  const chain = t.lastRunningAt + Math.max(p.minMs, step * (1 - p.slack) - Math.min(marginMs, step / 2));
  let at = chain;
  if (t.earliestEnd !== undefined && t.earliestEnd > chain) {
    at = t.earliestEnd - marginMs;
    const fromProgress = t.probeAllowed === false ? undefined : progressEnd(t.startedAt, t.progress);
    if (fromProgress !== undefined && fromProgress < at) at = Math.max(chain, fromProgress);
    // Starvation guard: however far the learned end, look at least every maxMs.
    at = Math.max(chain, Math.min(at, t.lastRunningAt + p.maxMs));
  }
  // Leave the bucket to mutations when it runs low (the budget also gates each request).
  const stretch = budgetLevel < 0.1 ? 4 : budgetLevel < 0.2 ? 2 : 1;
  if (stretch > 1) at = t.lastRunningAt + (at - t.lastRunningAt) * stretch;
  // Whole milliseconds, rounded down: a due time can only come out early.
  return Math.floor(at);
}

/** The earliest plausible end history allows: the shortest learned duration times the margin. */
export function earliestEnd(startedAt: number, shortestMs: number | undefined, p: ScheduleParams): number | undefined {
  return shortestMs === undefined ? undefined : startedAt + shortestMs * p.historyMargin;
}

/**
 * The interval for an action `elapsedMs` into its run, last seen running now, whose learned
 * earliest end is `earliestMs` after the start (kept for callers and tests).
 */
export function pollInterval(elapsedMs: number, earliestMs: number | undefined, p: ScheduleParams, budgetLevel = 1): number {
  return nextPollAt({ startedAt: 0, lastRunningAt: elapsedMs, earliestEnd: earliestMs }, p, budgetLevel) - elapsedMs;
}
