// Learned action durations per command (create_server, start_server, delete_server…), so the
// ActionWatcher can stay quiet while an action surely still runs and poll tightly near its end.
// EWMA of the mean and of the absolute deviation; the expectation is their difference, i.e. a
// deliberately early guess: polling a bit early costs a request, polling late costs latency.

export interface DurationEstimate {
  meanMs: number;
  deviationMs: number;
  samples: number;
}

export class DurationHistory {
  private readonly stats = new Map<string, DurationEstimate>();

  constructor(
    private readonly alpha = 0.3,
    seed: Record<string, number> = {},
  ) {
    for (const [command, ms] of Object.entries(seed)) this.stats.set(command, { meanMs: ms, deviationMs: ms * 0.2, samples: 0 });
  }

  record(command: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const s = this.stats.get(command);
    if (!s || s.samples === 0) {
      this.stats.set(command, { meanMs: durationMs, deviationMs: s ? Math.abs(durationMs - s.meanMs) : durationMs * 0.2, samples: 1 });
      return;
    }
    const err = durationMs - s.meanMs;
    s.meanMs += this.alpha * err;
    s.deviationMs += this.alpha * (Math.abs(err) - s.deviationMs);
    s.samples += 1;
  }

  /** Early-side expected duration, or undefined when the command was never seen. */
  expected(command: string | undefined): number | undefined {
    if (!command) return undefined;
    const s = this.stats.get(command);
    return s ? Math.max(0, s.meanMs - s.deviationMs) : undefined;
  }

  get(command: string): DurationEstimate | undefined {
    const s = this.stats.get(command);
    return s && { ...s };
  }

  toJSON(): Record<string, DurationEstimate> {
    return Object.fromEntries(this.stats);
  }
}
