// Counts refused deliveries per source and, past a limit, refuses that source for the rest of the
// window before reading its body. Only failures count, so a shop sending many good payments is never
// slowed; a sender guessing signatures, or stuck resending a broken one, is. Behind a reverse proxy
// every delivery comes from the proxy's address, which then shares one budget: still a bound.
import type { Clock } from '../core/ports';

export interface FailureLimitOptions {
  /** Failures allowed per source in one window. */
  max: number;
  windowMs: number;
  /** Sources tracked at once; the oldest window is dropped beyond it, so memory stays bounded. */
  maxSources?: number;
}

export class FailureLimit {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: FailureLimitOptions,
  ) {}

  /** Seconds until `source` may try again, or 0 when it may now. */
  retryAfter(source: string): number {
    const w = this.windows.get(source);
    if (!w) return 0;
    const left = w.start + this.options.windowMs - this.clock.now();
    if (left <= 0) {
      this.windows.delete(source);
      return 0;
    }
    return w.failures >= this.options.max ? Math.ceil(left / 1000) : 0;
  }

  fail(source: string): void {
    const now = this.clock.now();
    const w = this.windows.get(source);
    if (w && now - w.start < this.options.windowMs) {
      w.failures += 1;
      return;
    }
    this.windows.delete(source);
    if (this.windows.size >= (this.options.maxSources ?? 10_000)) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(source, { start: now, failures: 1 });
  }
}
