// When to look again at one pending action. Pure, so it is tested on its own.
//
// The target (issue 4, bench scenario 1) is a detection latency of at most the *allowance*
// max(floorMs, fraction × elapsed since the action started). Two rules follow:
//
// 1. Never poll an action faster than its allowance. A poll at q detects every end in
//    (previous poll, q] within the allowance as long as q − previous ≤ allowance(previous), so
//    polling more often buys nothing the target counts. (The former schedule halved the time
//    left to the expected end down to 500 ms: up to 4× more polls than needed near the end.)
// 2. Before the earliest plausible end E, there is nothing to detect: the first poll that can be
//    needed is at E + allowance(E). How much E can be trusted decides how far we jump:
//    - verified (two far-apart progress readings agree on a linear end): jump to E + allowance(E);
//    - unverified (history alone, or a single progress reading): go halfway to E, at least one
//      allowance, at most to E + allowance(E). The halfway poll reads `progress` and verifies.
//    - none (nothing known, or E already passed): poll at the allowance.
// Any interval is capped at maxMs (a starvation guard: an action that fails long before its
// expected end is still noticed within maxMs), and a low rate budget stretches it.

export interface ScheduleParams {
  /** Absolute lower bound of any interval (default 500; the allowance floor is higher anyway). */
  minMs: number;
  /** Upper bound of any interval, also of the sleep towards a distant expected end (default 30 s). */
  maxMs: number;
  /** Latency allowed regardless of duration (default 1000). */
  floorMs: number;
  /** Latency allowed as a share of elapsed time (default 0.1). */
  fraction: number;
  /**
   * Tolerated deviation of an action's real rate from its linear `progress` extrapolation (default
   * 0.05 = half the latency fraction): the extrapolated end is taken that much early, so the poll
   * at E + allowance(E) lands inside the latency window even when the action runs 5 % fast, and
   * two readings whose windows differ by more than that are treated as non-linear (not trusted).
   */
  progressSlack: number;
  /**
   * Smallest `progress` (in %) at which two readings may verify a linear end (default 10). Below
   * it the integer rounding alone spans more than 10 % of the duration, which would hide a
   * progress that lags time (reports too little, then jumps to done): an extrapolation that
   * comes out late, i.e. a missed latency target.
   */
  minVerifyPercent: number;
}

export const DEFAULT_SCHEDULE: ScheduleParams = { minMs: 500, maxMs: 30_000, floorMs: 1000, fraction: 0.1, progressSlack: 0.05, minVerifyPercent: 10 };

/** One sighting of a running action's `progress` (0–100), at the local time the poll was sent. */
export interface ProgressReading {
  at: number;
  percent: number;
}

export interface EndEstimate {
  /** Earliest plausible end, local clock; undefined when nothing is known. */
  endAt: number | undefined;
  /** Whether it rests on two agreeing progress readings (trusted enough to jump to). */
  verified: boolean;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The latency allowed for an end at `elapsedMs` after the start: max(floor, fraction × elapsed), ≤ maxMs. */
export function allowance(elapsedMs: number, p: ScheduleParams): number {
  return clamp(Math.max(p.floorMs, p.fraction * elapsedMs), p.minMs, p.maxMs);
}

/**
 * The total durations a reading allows if progress grows linearly from the start: progress is an
 * integer floor, so the done share is in [p, p + 1) %. Undefined for 0 % (not started, or an API
 * that does not report progress: no information) and for readings at or before the start.
 */
export function progressWindow(startedAt: number, r: ProgressReading): { lo: number; hi: number } | undefined {
  const a = r.at - startedAt;
  if (!(a > 0) || !(r.percent >= 1)) return undefined;
  if (r.percent >= 100) return { lo: a, hi: a };
  return { lo: (a * 100) / (r.percent + 1), hi: (a * 100) / r.percent };
}

/** Two readings agree when their windows overlap once widened by the slack. */
export function readingsAgree(startedAt: number, a: ProgressReading, b: ProgressReading, slack: number): boolean {
  const wa = progressWindow(startedAt, a);
  const wb = progressWindow(startedAt, b);
  if (!wa || !wb) return false;
  const k = 1 + slack;
  return wa.lo / k <= wb.hi * k && wb.lo / k <= wa.hi * k;
}

/**
 * Earliest plausible end from what is known: progress readings (this very action) win over the
 * learned duration (other actions of the same command). `readings` in time order (a few suffice);
 * pass none once the action's progress proved non-linear.
 */
export function estimateEnd(startedAt: number, expectedMs: number | undefined, readings: readonly ProgressReading[], p: ScheduleParams): EndEstimate {
  const last = readings[readings.length - 1];
  const window = last && progressWindow(startedAt, last);
  const fromHistory = expectedMs === undefined ? undefined : startedAt + expectedMs;
  if (!window) return { endAt: fromHistory, verified: false };
  const fromProgress = startedAt + window.lo / (1 + p.progressSlack);
  // Verified: an earlier reading, precise enough and from at most half the elapsed time, agrees.
  // Far-apart readings are what exposes progress that is not linear in time (close ones agree
  // whatever the curve); the watcher drops progress for an action whose readings ever disagree.
  const half = (last.at - startedAt) / 2;
  const anchor = readings.find((r) => r !== last && r.percent >= p.minVerifyPercent && r.at - startedAt <= half && readingsAgree(startedAt, r, last, p.progressSlack));
  if (anchor) return { endAt: fromProgress, verified: true };
  // Not verified yet: this action's own reading replaces the history of others (it is what
  // places the probes), but a reading cannot tell linear progress from progress that lags time (a
  // low reading that jumps to done), so it may only triple the elapsed time: the halfway probe at
  // most doubles it, which is also where the verifying reading is taken.
  return { endAt: Math.min(fromProgress, startedAt + 3 * (last.at - startedAt)), verified: false };
}

/** Absolute local time of the next poll this action needs. */
export function nextPollAt(now: number, startedAt: number, estimate: EndEstimate, p: ScheduleParams, budgetLevel = 1): number {
  const nowAllowance = allowance(now - startedAt, p);
  let interval: number;
  const end = estimate.endAt;
  if (end === undefined || end <= now) interval = nowAllowance;
  else {
    const firstNeeded = end + allowance(end - startedAt, p) - now;
    interval = estimate.verified ? firstNeeded : Math.min(firstNeeded, Math.max(nowAllowance, (end - now) / 2));
  }
  interval = clamp(interval, Math.max(p.minMs, nowAllowance), p.maxMs);
  // Leave the bucket to mutations when it runs low (the budget also gates each request).
  const stretch = budgetLevel < 0.1 ? 4 : budgetLevel < 0.2 ? 2 : 1;
  return now + interval * stretch;
}

/**
 * The interval for an action `elapsedMs` into its run with a learned (unverified) expectation and
 * no progress reading — the former API, kept for callers and tests.
 */
export function pollInterval(elapsedMs: number, expectedMs: number | undefined, p: ScheduleParams, budgetLevel = 1): number {
  return nextPollAt(elapsedMs, 0, { endAt: expectedMs, verified: false }, p, budgetLevel) - elapsedMs;
}
