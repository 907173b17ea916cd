// When to look again at one pending action. Pure, so it is tested on its own.
//
// With an expectation E: halve the remaining time (sparse early, tight near the end), at least
// minMs. Without one, or once overdue: keep detection latency within max(floorMs, fraction ×
// elapsed), which is the benchmark's target (1 s or 10 % of the step) at geometric cost.
// A low rate budget stretches every interval.

export interface ScheduleParams {
  minMs: number;
  maxMs: number;
  /** Latency allowed regardless of duration (default 1000). */
  floorMs: number;
  /** Latency allowed as a share of elapsed time (default 0.1). */
  fraction: number;
}

export const DEFAULT_SCHEDULE: ScheduleParams = { minMs: 500, maxMs: 5000, floorMs: 1000, fraction: 0.1 };

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function pollInterval(elapsedMs: number, expectedMs: number | undefined, p: ScheduleParams, budgetLevel = 1): number {
  let interval: number;
  const remaining = expectedMs === undefined ? 0 : expectedMs - elapsedMs;
  if (remaining > 0) interval = clamp(remaining / 2, p.minMs, p.maxMs);
  else interval = clamp(Math.max(p.floorMs, p.fraction * elapsedMs), p.minMs, p.maxMs);
  // Leave the bucket to mutations when it runs low (the budget also gates each request).
  const stretch = budgetLevel < 0.1 ? 4 : budgetLevel < 0.2 ? 2 : 1;
  return interval * stretch;
}
