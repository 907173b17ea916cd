// Timing a call many times for the bench scenarios. One definition, so every scenario's numbers are
// taken the same way (one untimed warm-up call first, then each run timed on its own).

/** ms per call of `fn`, over `runs` timed calls after one untimed warm-up (statement cache, JIT). */
export async function timeRuns(runs: number, fn: () => unknown): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
