/**
 * Hetzner's per-project budget: a token bucket (default capacity 3600, refill 1/s) in *real* time —
 * the rate limit is about how fast a client polls, which the time scale does not change.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private capacity: number,
    private refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  configure(opts: { capacity?: number; refillPerSecond?: number; remaining?: number }): void {
    this.refill();
    if (opts.capacity !== undefined) this.capacity = opts.capacity;
    if (opts.refillPerSecond !== undefined) this.refillPerSecond = opts.refillPerSecond;
    this.tokens = Math.min(opts.remaining ?? this.tokens, this.capacity);
  }

  reset(): void {
    this.tokens = this.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.refillPerSecond);
    this.last = t;
  }

  /** Every request counts, authenticated or not. Returns false when the bucket is empty. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  headers(): Record<string, string> {
    this.refill();
    const remaining = Math.floor(this.tokens);
    const missing = this.capacity - this.tokens;
    const secondsToFull = this.refillPerSecond > 0 ? Math.ceil(missing / this.refillPerSecond) : 0;
    return {
      'RateLimit-Limit': String(this.capacity),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(Math.floor(this.now() / 1000) + secondsToFull),
    };
  }

  snapshot() {
    this.refill();
    return { capacity: this.capacity, refillPerSecond: this.refillPerSecond, remaining: Math.floor(this.tokens) };
  }
}
