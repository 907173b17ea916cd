// How the soak judges memory. Comparing the heap at two moments mixes a leak with whatever happens to
// be in flight at each; the least-squares slope over many readings, all taken while the same number
// of jobs is in flight, measures what stays behind per operation.

/** The bound: ten times the measured baseline of about 2 KB per operation (provision + destroy). */
export const MAX_KB_PER_OP = 20;
/** Fewer operations than this and a 20 KB/op bound drowns in the noise of one reading (~1 MB). */
export const MIN_MEASURED_OPS = 300;

export interface HeapReading {
  /** Operations completed when the heap was read. */
  ops: number;
  heapUsedMb: number;
}

/** KB of heap per operation: the least-squares slope of the readings (needs two distinct `ops`). */
export function heapSlope(readings: readonly HeapReading[]): number {
  const n = readings.length;
  const mx = readings.reduce((a, r) => a + r.ops, 0) / n;
  const my = readings.reduce((a, r) => a + r.heapUsedMb, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const r of readings) {
    sxy += (r.ops - mx) * (r.heapUsedMb - my);
    sxx += (r.ops - mx) ** 2;
  }
  if (!(sxx > 0)) throw new RangeError('heapSlope needs readings at two or more different operation counts');
  return (sxy / sxx) * 1024;
}
