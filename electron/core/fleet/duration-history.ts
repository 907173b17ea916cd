// Learned action durations per command (create_server, start_server, delete_server…), so the
// ActionWatcher can stay quiet while an action surely still runs (see poll-schedule). What the
// schedule uses is the *shortest* duration seen (after a few samples): a mean, even minus a
// deviation, is passed by a good share of actions, and each of those would be detected late.
// The EWMA of the mean and of the absolute deviation are kept for display and older callers.
// Persistable: toJSON() / restore() (or DurationHistory.fromJSON), and onChange() to save after
// each learned duration, so the first create after a restart is already warm.

export interface DurationEstimate {
  meanMs: number;
  deviationMs: number;
  samples: number;
  /** Shortest duration recorded (absent in files from before it was kept). */
  minMs?: number;
}

const MAX_COMMANDS = 100;
/** Samples needed before the shortest one is trusted to skip polls (one could be a fluke). */
export const MIN_SAMPLES_FOR_SHORTEST = 3;

function validEstimate(v: unknown): v is DurationEstimate {
  const e = v as Partial<DurationEstimate> | null;
  return (
    typeof e === 'object' && e !== null &&
    Number.isFinite(e.meanMs) && (e.meanMs as number) >= 0 &&
    Number.isFinite(e.deviationMs) && (e.deviationMs as number) >= 0 &&
    Number.isInteger(e.samples) && (e.samples as number) >= 0 &&
    (e.minMs === undefined || (Number.isFinite(e.minMs) && e.minMs >= 0))
  );
}

export class DurationHistory {
  private readonly stats = new Map<string, DurationEstimate>();
  private readonly listeners = new Set<(json: Record<string, DurationEstimate>) => void>();

  /** A history restored from toJSON() output (unknown or malformed entries are skipped). */
  static fromJSON(json: unknown, alpha?: number): DurationHistory {
    const h = new DurationHistory(alpha);
    h.restore(json);
    return h;
  }

  constructor(
    private readonly alpha = 0.3,
    seed: Record<string, number> = {},
  ) {
    for (const [command, ms] of Object.entries(seed)) this.stats.set(command, { meanMs: ms, deviationMs: ms * 0.2, samples: 0 });
  }

  record(command: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    this.learn(command, durationMs);
    if (this.listeners.size === 0) return;
    const json = this.toJSON();
    for (const listener of this.listeners) {
      try {
        listener(json);
      } catch {
        // Persistence is best effort: a failed save must not disturb the watcher's loop.
      }
    }
  }

  private learn(command: string, durationMs: number): void {
    const s = this.stats.get(command);
    if (!s || s.samples === 0) {
      this.stats.set(command, { meanMs: durationMs, deviationMs: s ? Math.abs(durationMs - s.meanMs) : durationMs * 0.2, samples: 1, minMs: durationMs });
      return;
    }
    s.minMs = Math.min(s.minMs ?? durationMs, durationMs);
    const err = durationMs - s.meanMs;
    s.meanMs += this.alpha * err;
    s.deviationMs += this.alpha * (Math.abs(err) - s.deviationMs);
    s.samples += 1;
  }

  /**
   * Loads durations saved by toJSON() (a file from an earlier run): replaces the commands it
   * names, keeps the others. Anything malformed is skipped, never thrown: a corrupt file only
   * means starting cold. Returns how many commands were restored.
   */
  restore(json: unknown): number {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return 0;
    let n = 0;
    for (const [command, v] of Object.entries(json as Record<string, unknown>)) {
      if (n >= MAX_COMMANDS || !command || command.length > 100 || !validEstimate(v)) continue;
      // A file from before the minimum was kept: mean − 2 deviations stands in for it.
      const minMs = v.minMs ?? Math.max(0, v.meanMs - 2 * v.deviationMs);
      this.stats.set(command, { meanMs: v.meanMs, deviationMs: v.deviationMs, samples: v.samples, minMs });
      n += 1;
    }
    return n;
  }

  /** Called with toJSON() after every learned duration (to persist it). Returns an unsubscribe. */
  onChange(listener: (json: Record<string, DurationEstimate>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Early-side expected duration, or undefined when the command was never seen. */
  expected(command: string | undefined): number | undefined {
    if (!command) return undefined;
    const s = this.stats.get(command);
    return s ? Math.max(0, s.meanMs - s.deviationMs) : undefined;
  }

  /** The shortest duration learned, once there are enough samples to trust it; else undefined. */
  shortest(command: string | undefined): number | undefined {
    if (!command) return undefined;
    const s = this.stats.get(command);
    return s && s.samples >= MIN_SAMPLES_FOR_SHORTEST ? s.minMs : undefined;
  }

  get(command: string): DurationEstimate | undefined {
    const s = this.stats.get(command);
    return s && { ...s };
  }

  toJSON(): Record<string, DurationEstimate> {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }
}
