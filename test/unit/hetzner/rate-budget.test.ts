import { describe, expect, it } from 'vitest';
import { RateBudget, readRateLimitHeaders } from '../../../electron/core/hetzner/rate-budget';
import type { Priority } from '../../../electron/core/hetzner/types';
import { virtualTime } from '../../fixtures/virtual-time';


const headers = (limit: number, remaining: number, resetIn: number, nowMs: number) =>
  new Headers({ 'RateLimit-Limit': String(limit), 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': String(Math.ceil(nowMs / 1000 + resetIn)) });

describe('RateBudget', () => {
  it('reads the RateLimit headers', () => {
    expect(readRateLimitHeaders(headers(3600, 3500, 100, 0))).toEqual({ limit: 3600, remaining: 3500, reset: 100 });
    expect(readRateLimitHeaders(new Headers())).toBeUndefined();
  });

  it('probes with one request before the first answer, then trusts a server without headers', async () => {
    const budget = new RateBudget();
    await budget.acquire('sync');
    let second = false;
    void budget.acquire('sync').then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    budget.settle();
    await Promise.resolve();
    expect(second).toBe(true);
    expect(budget.level()).toBe(1);
  });

  it('holds sync below 20 %, waits below 5 %, never mutations while tokens remain', async () => {
    const vt = virtualTime();
    const budget = new RateBudget({ clock: vt.clock, sleep: vt.sleep, refillPerSecond: 1 });
    budget.observe({ limit: 100, remaining: 10 }); // 10 %
    const order: Priority[] = [];
    const go = (p: Priority) => budget.acquire(p).then(() => order.push(p));
    void go('sync');
    void go('wait');
    void go('mutation');
    await vt.advance(0);
    // mutation and wait pass (≥ 1 and ≥ 6 tokens), sync must wait for 21 tokens
    expect(order).toEqual(['wait', 'mutation']);
    await vt.advance(5_000);
    expect(order).toEqual(['wait', 'mutation']);
    await vt.advance(10_000); // 8 + 15 = 23 ≥ 21
    expect(order).toEqual(['wait', 'mutation', 'sync']);
  });

  it('releases a blocked queue in priority order (mutation > wait > sync)', async () => {
    const vt = virtualTime();
    const budget = new RateBudget({ clock: vt.clock, sleep: vt.sleep, refillPerSecond: 1, reserve: { wait: 0, sync: 0 } });
    budget.observe({ limit: 10, remaining: 0 });
    const order: string[] = [];
    void budget.acquire('sync').then(() => order.push('sync'));
    void budget.acquire('wait').then(() => order.push('wait'));
    void budget.acquire('mutation').then(() => order.push('mutation1'));
    void budget.acquire('mutation').then(() => order.push('mutation2'));
    for (let i = 0; i < 5; i++) await vt.advance(1000);
    expect(order).toEqual(['mutation1', 'mutation2', 'wait', 'sync']);
  });

  it('derives the refill rate from Reset when the bucket is not 1/s', async () => {
    const vt = virtualTime();
    const budget = new RateBudget({ clock: vt.clock, sleep: vt.sleep });
    budget.observe({ limit: 100, remaining: 50, reset: vt.clock.now() / 1000 + 10 }); // 5/s
    // a safe lower bound: 50 / (10 + 1 s of rounding), far above the nominal 100/3600
    expect(budget.snapshot().refillPerSecond).toBeCloseTo(50 / 11, 3);
    await vt.advance(2000);
    expect(budget.estimate()).toBeCloseTo(50 + (2 * 50) / 11, 1);
  });

  it('counts requests in flight when a response reports the bucket', () => {
    const budget = new RateBudget();
    budget.observe({ limit: 100, remaining: 100 });
    void budget.acquire('mutation');
    void budget.acquire('mutation');
    budget.settle({ limit: 100, remaining: 40 }); // one still in flight
    expect(Math.round(budget.estimate())).toBe(39);
  });

  it('rejects a cancelled waiter and forgets it', async () => {
    const vt = virtualTime();
    const budget = new RateBudget({ clock: vt.clock, sleep: vt.sleep });
    budget.observe({ limit: 100, remaining: 0 });
    const ac = new AbortController();
    const p = budget.acquire('sync', ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(budget.snapshot().queued.sync).toBe(0);
  });

  it('keeps a burst of prioritised work under the bucket (simulated server)', async () => {
    const vt = virtualTime();
    const budget = new RateBudget({ clock: vt.clock, sleep: vt.sleep });
    // A server bucket of 30 refilled 1/s; a 429 is any request that finds it empty.
    let tokens = 30;
    let last = vt.clock.now();
    let rejected = 0;
    const serve = () => {
      tokens = Math.min(30, tokens + (vt.clock.now() - last) / 1000);
      last = vt.clock.now();
      if (tokens < 1) rejected++;
      else tokens -= 1;
      return { limit: 30, remaining: Math.floor(tokens), reset: Math.ceil(vt.clock.now() / 1000 + (30 - tokens)) };
    };
    let done = 0;
    const work = async (p: Priority) => {
      await budget.acquire(p);
      budget.settle(serve());
      done++;
    };
    const jobs = [...Array(40)].map((_, i) => work((['mutation', 'wait', 'sync'] as const)[i % 3]!));
    for (let i = 0; i < 200 && done < 40; i++) await vt.advance(500);
    await Promise.all(jobs);
    expect(rejected).toBe(0);
  });
});
