import { describe, expect, it } from 'vitest';
import { ActionWatcher } from '../../../electron/core/fleet/action-watcher';
import { DurationHistory } from '../../../electron/core/fleet/duration-history';
import { DEFAULT_SCHEDULE, pollInterval } from '../../../electron/core/fleet/poll-schedule';
import { HetznerClient } from '../../../electron/core/hetzner';
import { ActionFailedError } from '../../../electron/core/hetzner/errors';
import type { Action } from '../../../electron/core/hetzner/types';
import { json, scriptedFetch } from '../hetzner/helpers';
import { virtualTime } from './virtual-time';

/** A fake Hetzner whose actions finish at given virtual times; counts GET /actions requests. */
function fakeCloud(vt: ReturnType<typeof virtualTime>, finishAt: Map<number, { at: number; command: string; error?: boolean }>) {
  const { fetch, calls } = scriptedFetch((c) => {
    const ids = new URL(c.url).searchParams.getAll('id').map(Number);
    const actions = ids.flatMap((id) => {
      const f = finishAt.get(id);
      if (!f) return [];
      const done = vt.clock.now() >= f.at;
      const status = done ? (f.error ? 'error' : 'success') : 'running';
      return [{ id, command: f.command, status, progress: done ? 100 : 50, started: '', finished: null, resources: [], error: f.error && done ? { code: 'action_failed', message: 'Action failed' } : null }];
    });
    return json(200, { actions });
  });
  const client = new HetznerClient({ token: 'tok-0123456789', baseUrl: 'http://hz.test/v1', fetch, clock: vt.clock, sleep: vt.sleep });
  return { client, calls };
}

describe('pollInterval', () => {
  it('is sparse early and tight near the expected end', () => {
    const p = DEFAULT_SCHEDULE;
    expect(pollInterval(0, 20_000, p)).toBe(5000);
    expect(pollInterval(16_000, 20_000, p)).toBe(2000);
    expect(pollInterval(19_500, 20_000, p)).toBe(500);
  });
  it('keeps latency within max(1 s, 10 %) without history or when overdue, capped at max', () => {
    const p = DEFAULT_SCHEDULE;
    expect(pollInterval(2000, undefined, p)).toBe(1000);
    expect(pollInterval(30_000, undefined, p)).toBe(3000);
    expect(pollInterval(300_000, 20_000, p)).toBe(5000);
  });
  it('stretches when the rate budget is low', () => {
    expect(pollInterval(2000, undefined, DEFAULT_SCHEDULE, 0.15)).toBe(2000);
    expect(pollInterval(2000, undefined, DEFAULT_SCHEDULE, 0.05)).toBe(4000);
  });
});

describe('DurationHistory', () => {
  it('learns an early-side expectation per command', () => {
    const h = new DurationHistory(0.5);
    expect(h.expected('create_server')).toBeUndefined();
    h.record('create_server', 10_000);
    h.record('create_server', 12_000);
    const e = h.expected('create_server')!;
    expect(e).toBeGreaterThan(7000);
    expect(e).toBeLessThan(11_000);
  });
});

describe('ActionWatcher', () => {
  it('serves 50 concurrent waits with 2 requests per tick, not 50', async () => {
    const vt = virtualTime();
    const finish = new Map([...Array(50)].map((_, i) => [i + 1, { at: vt.clock.now() + 10_000, command: 'create_server' }] as const));
    const { client, calls } = fakeCloud(vt, finish);
    const ticks: number[] = [];
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep, onTick: (t) => ticks.push(t.requests) });
    const waits = [...finish.keys()].map((id) => watcher.wait(id));
    await vt.advance(15_000);
    const done = await Promise.all(waits);
    expect(done.every((a) => a.status === 'success')).toBe(true);
    expect(ticks.every((r) => r === 2)).toBe(true);
    expect(calls.length).toBe(ticks.length * 2);
    expect(calls.every((c) => new URL(c.url).searchParams.getAll('id').length === 25)).toBe(true);
    expect(watcher.pendingCount).toBe(0);
  });

  it('learns durations: a second create costs fewer polls and is still detected promptly', async () => {
    const vt = virtualTime();
    const finish = new Map<number, { at: number; command: string }>();
    const { client, calls } = fakeCloud(vt, finish);
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    const run = async (id: number) => {
      const before = calls.length;
      finish.set(id, { at: vt.clock.now() + 30_000, command: 'create_server' });
      let seenAt = 0;
      const p = watcher.wait(id, { command: 'create_server' }).then(() => (seenAt = vt.clock.now()));
      await vt.advance(40_000);
      await p;
      return { polls: calls.length - before, latency: seenAt - finish.get(id)!.at };
    };
    const first = await run(1);
    const second = await run(2);
    const third = await run(3);
    console.log(`[measure] 30 s create_server: polls ${first.polls}/${second.polls}/${third.polls}, latency ${first.latency}/${second.latency}/${third.latency} ms (runs 1/2/3)`);
    expect(first.latency).toBeLessThanOrEqual(3000); // ≤ 10 % of 30 s
    expect(third.polls).toBeLessThan(first.polls);
    expect(second.latency).toBeLessThanOrEqual(3000);
    expect(third.latency).toBeLessThanOrEqual(1000);
    // Official CLI: one poll per 500 ms = 60 polls for a 30 s action.
    expect(third.polls).toBeLessThanOrEqual(12);
  });

  it('rejects with ActionFailedError carrying the action error code', async () => {
    const vt = virtualTime();
    const { client } = fakeCloud(vt, new Map([[7, { at: vt.clock.now() + 1000, command: 'start_server', error: true }]]));
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    const p = watcher.wait(7).catch((e: unknown) => e);
    await vt.advance(5000);
    const err = await p;
    expect(err).toBeInstanceOf(ActionFailedError);
    expect(err).toMatchObject({ code: 'cloud_error', apiCode: 'action_failed' });
  });

  it('rejects unknown ids with not_found after a few ticks, and honours abort', async () => {
    const vt = virtualTime();
    const { client } = fakeCloud(vt, new Map([[1, { at: Infinity, command: 'create_server' }]]));
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    const missing = watcher.wait(999).catch((e: unknown) => e);
    const ac = new AbortController();
    const aborted = watcher.wait(1, { signal: ac.signal }).catch((e: unknown) => e);
    await vt.advance(10_000);
    expect(await missing).toMatchObject({ code: 'not_found' });
    ac.abort();
    expect(await aborted).toMatchObject({ code: 'cancelled' });
    await vt.advance(10_000);
    expect(watcher.pendingCount).toBe(0);
  });

  it('settles actions already finished without a request', async () => {
    const watcher = new ActionWatcher({ actions: { getMany: () => Promise.reject(new Error('no request expected')) } });
    const done: Action = { id: 1, command: 'create_server', status: 'success', progress: 100, started: '', finished: '', resources: [], error: null };
    await expect(watcher.waitAll([done])).resolves.toEqual([done]);
  });

  it('a new urgent wait wakes a loop sleeping for a distant one', async () => {
    const vt = virtualTime();
    const finish = new Map([
      [1, { at: vt.clock.now() + 600_000, command: 'slow' }],
      [2, { at: vt.clock.now() + 500, command: 'fast' }],
    ]);
    const { client } = fakeCloud(vt, finish);
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    void watcher.wait(1, { expectedMs: 600_000 }).catch(() => undefined);
    await vt.advance(100);
    let seen = 0;
    const p = watcher.wait(2).then(() => (seen = vt.clock.now()));
    const start = vt.clock.now();
    await vt.advance(3000);
    await p;
    expect(seen - start).toBeLessThanOrEqual(1100);
  });
});
