// Small numeric helpers for the benchmark report. Percentiles use the nearest-rank method.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const max = (values: readonly number[]): number => (values.length === 0 ? NaN : Math.max(...values));
export const min = (values: readonly number[]): number => (values.length === 0 ? NaN : Math.min(...values));
export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Rounds for JSON output (keeps the report readable without losing what matters). */
export const round = (v: number, digits = 3): number => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);

