// RateBudget: the one gate every Hetzner request passes (DESIGN §4, reference §7). Hetzner's limit
// is a token bucket (3600, refilled limit/3600 per second) reported on every response through
// RateLimit-Limit / -Remaining / -Reset. We mirror it locally and keep headroom for the work that
// matters: syncs stop below 20 %, action polls below 5 %, mutations only when the bucket is empty.
// So a busy fleet slows its background polling instead of meeting a 429 on a create.
import { systemClock, type Clock } from '../ports';
import { OutpostError } from '../../../shared/errors';
import { realSleep, type SleepFn } from '../http/fetch';
import type { Priority } from './types';

const RANK: Record<Priority, number> = { mutation: 0, wait: 1, sync: 2 };

export interface RateBudgetOptions {
  clock?: Clock;
  sleep?: SleepFn;
  /** Fraction of the limit a priority must leave in the bucket. Defaults: sync 0.2, wait 0.05. */
  reserve?: Partial<Record<Priority, number>>;
  /** Override the refill estimate (tokens/s). Default: derived from Reset, else limit/3600. */
  refillPerSecond?: number;
}

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** UNIX seconds at which the bucket is full again. */
  reset?: number | undefined;
}

export interface BudgetSnapshot {
  known: boolean;
  limit: number;
  estimate: number;
  refillPerSecond: number;
  inFlight: number;
  queued: Record<Priority, number>;
}

interface Waiter {
  priority: Priority;
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

/** Reads the three RateLimit-* headers; undefined when the response carried none (e.g. a stub). */
export function readRateLimitHeaders(headers: Headers): RateLimitHeaders | undefined {
  const limit = Number(headers.get('ratelimit-limit'));
  const remaining = Number(headers.get('ratelimit-remaining'));
  if (!headers.has('ratelimit-limit') || !headers.has('ratelimit-remaining')) return undefined;
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return undefined;
  const resetRaw = headers.get('ratelimit-reset');
  const reset = resetRaw === null ? undefined : Number(resetRaw);
  return { limit, remaining, reset: Number.isFinite(reset) ? reset : undefined };
}

export class RateBudget {
  private readonly clock: Clock;
  private readonly sleep: SleepFn;
  private readonly reserve: Record<Priority, number>;
  private readonly fixedRefill: number | undefined;

  private limit = 0; // 0 = not observed (yet, or the server sends no RateLimit headers)
  /** Until the first response we know nothing: one probe at a time, so a startup burst can't 429. */
  private probing = true;
  private tokens = 0;
  private tokensAt = 0;
  private refill = 1;
  private refillDerived = false;
  private inFlight = 0;
  private seq = 0;
  private readonly queue: Waiter[] = [];
  private timer: AbortController | undefined;

  constructor(options: RateBudgetOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.reserve = { mutation: 0, wait: 0.05, sync: 0.2, ...options.reserve };
    this.fixedRefill = options.refillPerSecond;
  }

  /** Estimated tokens now (refill since the last observation, minus what we spent since). */
  estimate(): number {
    if (this.limit === 0) return Infinity;
    const elapsed = Math.max(0, this.clock.now() - this.tokensAt) / 1000;
    return Math.min(this.limit, this.tokens + elapsed * this.refill);
  }

  /** Fill level 0..1 (1 when unknown): the watchers stretch their intervals when it is low. */
  level(): number {
    return this.limit === 0 ? 1 : Math.max(0, this.estimate() / this.limit);
  }

  snapshot(): BudgetSnapshot {
    const queued = { mutation: 0, wait: 0, sync: 0 };
    for (const w of this.queue) queued[w.priority] += 1;
    return {
      known: this.limit > 0,
      limit: this.limit,
      estimate: this.limit === 0 ? Infinity : this.estimate(),
      refillPerSecond: this.refill,
      inFlight: this.inFlight,
      queued,
    };
  }

  /** About how long a request of this priority would wait for the bucket now; 0 when it may go. */
  delayFor(priority: Priority): number {
    if (this.limit === 0) return 0;
    const short = this.needed(priority) - this.estimate();
    return short <= 0 ? 0 : (short / this.refill) * 1000;
  }

  /** Resolves when a request of this priority may go out; the caller must call settle() after. */
  acquire(priority: Priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new OutpostError('cancelled', 'request cancelled'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, seq: this.seq++, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new OutpostError('cancelled', 'request cancelled'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.queue.sort((a, b) => RANK[a.priority] - RANK[b.priority] || a.seq - b.seq);
      this.pump();
    });
  }

  /** Call once per acquired request, with the response's headers if one arrived. */
  settle(headers?: RateLimitHeaders): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.probing = false;
    if (headers) this.observe(headers);
    this.pump();
  }

  /** Takes the server's word. Requests still in flight will each spend one more token. */
  observe(h: RateLimitHeaders): void {
    const now = this.clock.now();
    this.probing = false;
    this.limit = h.limit;
    this.tokens = Math.max(0, h.remaining - this.inFlight);
    this.tokensAt = now;
    this.refill = this.fixedRefill ?? this.deriveRefill(h, now);
  }

  private deriveRefill(h: RateLimitHeaders, now: number): number {
    const nominal = h.limit / 3600;
    const deficit = h.limit - h.remaining;
    if (h.reset === undefined || deficit < 1) return this.refillDerived ? this.refill : nominal;
    // Reset has whole-second precision (rounded some way), so the true time to full lies within a
    // second of `reset − now`: deficit / (that + 1) is a safe lower bound on the refill rate. It
    // matters for buckets that refill faster than limit/3600 (a bigger plan, the simulator).
    const secondsToFull = Math.max(0, h.reset - now / 1000);
    this.refillDerived = true;
    return Math.max(nominal, deficit / (secondsToFull + 1));
  }

  private needed(priority: Priority): number {
    return 1 + this.reserve[priority] * this.limit;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.probing && this.inFlight > 0) return;
      const head = this.queue[0]!;
      const available = this.estimate();
      const need = this.needed(head.priority);
      if (available < need) {
        this.schedule(((need - available) / this.refill) * 1000);
        return;
      }
      this.queue.shift();
      if (this.limit > 0) {
        this.tokens = available - 1;
        this.tokensAt = this.clock.now();
      }
      this.inFlight += 1;
      if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
  }

  private schedule(ms: number): void {
    this.timer?.abort();
    const timer = new AbortController();
    this.timer = timer;
    this.sleep(Math.max(1, Math.ceil(ms)), timer.signal).then(
      () => {
        if (this.timer === timer) this.timer = undefined;
        this.pump();
      },
      () => {
        // Superseded by a newer timer (or a custom sleep that failed): the newer one pumps.
        if (this.timer === timer) {
          this.timer = undefined;
          this.pump();
        }
      },
    );
  }
}
