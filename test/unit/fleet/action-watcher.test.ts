import { describe, expect, it } from 'vitest';
import { ActionWatcher } from '../../../electron/core/fleet/action-watcher';
import { DurationHistory } from '../../../electron/core/fleet/duration-history';
import { DEFAULT_SCHEDULE, nextPollAt, pollInterval } from '../../../electron/core/fleet/poll-schedule';
import { HetznerClient } from '../../../electron/core/hetzner';
import { ActionFailedError } from '../../../electron/core/hetzner/errors';
import type { Action } from '../../../electron/core/hetzner/types';
import { json, scriptedFetch } from '../hetzner/helpers';
import { virtualTime } from '../../fixtures/virtual-time';
import { fakeHetzner } from './watcher-harness';

/** A fake Hetzner whose actions finish at given virtual times; counts GET /actions requests. */
// `progress` is 50 while running unless `linearFrom` is given (then it grows linearly from that
// time to `at`, like the simulator's and roughly like Hetzner's): a constant 50 is progress that
// does not follow time, which the watcher must detect and then ignore.
function fakeCloud(vt: ReturnType<typeof virtualTime>, finishAt: Map<number, { at: number; command: string; error?: boolean; linearFrom?: number }>) {
  const { fetch, calls } = scriptedFetch((c) => {
    const ids = new URL(c.url).searchParams.getAll('id').map(Number);
    const actions = ids.flatMap((id) => {
      const f = finishAt.get(id);
      if (!f) return [];
      const done = vt.clock.now() >= f.at;
      const status = done ? (f.error ? 'error' : 'success') : 'running';
      const progress = done ? 100 : f.linearFrom === undefined ? 50 : Math.min(99, Math.floor(((vt.clock.now() - f.linearFrom) / (f.at - f.linearFrom)) * 100));
      return [{ id, command: f.command, status, progress, started: '', finished: null, resources: [], error: f.error && done ? { code: 'action_failed', message: 'Action failed' } : null }];
    });
    return json(200, { actions });
  });
  const client = new HetznerClient({ token: 'tok-0123456789', baseUrl: 'http://hz.test/v1', fetch, clock: vt.clock, sleep: vt.sleep });
  return { client, calls };
}

describe('pollInterval / nextPollAt', () => {
  // Issue 13: the schedule rests on done / not done. After a running sighting at q the next poll
  // is q + max(1 s, 10 % of q); a learned earliest end E skips the polls before it; progress may
  // only pull a poll in (once), never push one out. Exact values without the timer slack:
  const p = { ...DEFAULT_SCHEDULE, slack: 0 };
  it('waits for the learned earliest end, then polls one allowance apart', () => {
    expect(pollInterval(0, 20_000, p)).toBe(20_000);
    expect(pollInterval(16_000, 20_000, p)).toBe(4000); // to E, not past it
    expect(pollInterval(19_500, 20_000, p)).toBe(1950); // 10 % of 19.5 s once E is near
  });
  it('keeps latency within max(1 s, 10 %) without history or when overdue, capped at max', () => {
    expect(pollInterval(2000, undefined, p)).toBe(1000);
    expect(pollInterval(30_000, undefined, p)).toBe(3000);
    // The cap is a starvation guard (30 s), also towards a distant learned end.
    expect(pollInterval(0, 600_000, p)).toBe(30_000);
    expect(pollInterval(300_000, 20_000, p)).toBe(30_000);
    expect(pollInterval(600_000, 20_000, p)).toBe(30_000);
  });
  it('stretches when the rate budget is low', () => {
    expect(pollInterval(2000, undefined, p, 0.15)).toBe(2000);
    expect(pollInterval(2000, undefined, p, 0.05)).toBe(4000);
  });
  it('keeps a share of each interval (default 5 %) for timer lateness and the answer', () => {
    expect(pollInterval(2000, undefined, DEFAULT_SCHEDULE)).toBe(950);
    expect(pollInterval(30_000, undefined, DEFAULT_SCHEDULE)).toBe(2850);
  });
  it('progress only ever makes a poll earlier, and only before the learned end', () => {
    const base = { startedAt: 0, lastRunningAt: 4000, earliestEnd: 30_000 };
    const without = nextPollAt(base, p);
    expect(without).toBe(30_000);
    // 40 % at 4 s: a linear end near 9.8 s, before E: one probe there.
    expect(nextPollAt({ ...base, progress: { at: 4000, percent: 40 } }, p)).toBe(Math.floor((4000 * 100) / 41));
    // …once: a spent probe leaves the schedule as it was.
    expect(nextPollAt({ ...base, progress: { at: 4000, percent: 40 }, probeAllowed: false }, p)).toBe(without);
    // 0 %, or a reading whose linear end is past E: nothing changes.
    expect(nextPollAt({ ...base, progress: { at: 4000, percent: 0 } }, p)).toBe(without);
    expect(nextPollAt({ ...base, progress: { at: 4000, percent: 5 } }, p)).toBe(without);
    // Never closer than one allowance after the sighting, however far along it claims to be.
    expect(nextPollAt({ ...base, progress: { at: 4000, percent: 99 } }, p)).toBe(5000);
    // Without history, progress changes nothing at all: the chain is the schedule.
    const cold = { startedAt: 0, lastRunningAt: 12_000 };
    for (const percent of [0, 1, 50, 99]) expect(nextPollAt({ ...cold, progress: { at: 12_000, percent } }, p)).toBe(13_200);
    // An answer-time margin comes off the interval.
    expect(nextPollAt(cold, p, 1, 150)).toBe(13_050);
    // …at most half of it: one slow (retried) answer must not turn the chain into a burst.
    expect(nextPollAt(cold, p, 1, 5000)).toBe(12_600);
  });
});

describe('DurationHistory', () => {
  it('persists: toJSON → fromJSON/restore round-trips, malformed input is skipped, onChange reports', () => {
    const h = new DurationHistory();
    const saved: unknown[] = [];
    const off = h.onChange((json) => saved.push(JSON.parse(JSON.stringify(json))));
    h.record('create_server', 14_000);
    h.record('start_server', 20_000);
    expect(saved).toHaveLength(2);
    const file = JSON.parse(JSON.stringify(h));
    const back = DurationHistory.fromJSON(file);
    expect(back.expected('create_server')).toBe(h.expected('create_server'));
    expect(back.get('start_server')).toEqual(h.get('start_server'));
    off();
    h.record('create_server', 15_000);
    expect(saved).toHaveLength(2);
    const partial = new DurationHistory();
    expect(partial.restore({ ok: { meanMs: 1000, deviationMs: 100, samples: 3 }, bad: { meanMs: -1, deviationMs: 0, samples: 1 }, worse: 'x' })).toBe(1);
    expect(partial.expected('ok')).toBe(900);
    expect(partial.expected('bad')).toBeUndefined();
    expect(partial.restore(null)).toBe(0);
    expect(partial.restore([1, 2])).toBe(0);
    // A throwing listener (a failed save) does not break learning.
    partial.onChange(() => {
      throw new Error('disk full');
    });
    expect(() => partial.record('ok', 1000)).not.toThrow();
  });

  it('trusts the shortest duration only after 3 samples; files from before it was kept stand in mean − 2 deviations', () => {
    const h = new DurationHistory();
    h.record('start_server', 20_000);
    h.record('start_server', 14_000);
    expect(h.shortest('start_server')).toBeUndefined();
    h.record('start_server', 30_000);
    expect(h.shortest('start_server')).toBe(14_000);
    expect(h.shortest(undefined)).toBeUndefined();
    const legacy = DurationHistory.fromJSON({ create_server: { meanMs: 20_000, deviationMs: 4000, samples: 5 } });
    expect(legacy.shortest('create_server')).toBe(12_000);
    expect(DurationHistory.fromJSON({ x: { meanMs: 1, deviationMs: 0, samples: 3, minMs: -5 } }).shortest('x')).toBeUndefined();
    // Round trip keeps it.
    expect(DurationHistory.fromJSON(JSON.parse(JSON.stringify(h))).shortest('start_server')).toBe(14_000);
  });

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

  it('learns durations: after three creates the fourth costs a few polls and is still on time', async () => {
    // This fake's progress is stuck at 50 % (not linear in time), so the watcher drops it after two
    // readings and this test exercises history alone.
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
    const runs = [await run(1), await run(2), await run(3), await run(4)];
    console.log(`[measure] 30 s create_server: polls ${runs.map((r) => r.polls).join('/')}, latency ${runs.map((r) => r.latency).join('/')} ms (runs 1–4)`);
    // Every run within the allowance (10 % of 30 s = 3 s), cold or warm.
    for (const r of runs) expect(r.latency).toBeLessThanOrEqual(3000);
    // Three samples before the shortest is trusted: runs 1–3 are cold (the done/not-done chain,
    // 10 + ⌈ln 3 / ln 1.1⌉ = 22 polls, 23 with the 5 % timer slack), run 4 starts at 0.9 × the
    // shortest learned.
    expect(runs[2]!.polls).toBe(runs[0]!.polls);
    expect(runs[0]!.polls).toBeLessThanOrEqual(23);
    // Official CLI: one poll per 500 ms = 60 polls for a 30 s action.
    expect(runs[3]!.polls).toBeLessThanOrEqual(4);
  });

  it('a cold create_server + start_server share one done/not-done chain and learn their durations', async () => {
    const vt = virtualTime();
    const t0 = vt.clock.now();
    const finish = new Map([
      [1, { at: t0 + 14_000, command: 'create_server', linearFrom: t0 }],
      [2, { at: t0 + 20_300, command: 'start_server', linearFrom: t0 }],
    ]);
    const { client, calls } = fakeCloud(vt, finish);
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    const running = (id: number, command: string): Action => ({ id, command, status: 'running', progress: 0, started: '', finished: null, resources: [], error: null });
    let seenAt = 0;
    const p = watcher.waitAll([running(1, 'create_server'), running(2, 'start_server')]).then(() => (seenAt = vt.clock.now()));
    await vt.advance(30_000);
    await p;
    const latency = seenAt - (t0 + 20_300);
    console.log(`[measure] cold 14 s create + 20.3 s start: ${calls.length} polls, latency ${latency} ms`);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThanOrEqual(2030); // max(1 s, 10 % of 20.3 s)
    // One chain for both (shared ticks): 10 + ⌈ln(2.03)/ln 1.1⌉ = 18 polls (19 with the 5 % timer
    // slack), linear progress or not.
    expect(calls.length).toBeLessThanOrEqual(19);
    // Learned on the early side (no API timestamps here: the last running sighting), within an allowance.
    const learned = (c: string) => watcher.history.get(c)!.minMs!;
    expect(14_000 - learned('create_server')).toBeGreaterThanOrEqual(0);
    expect(14_000 - learned('create_server')).toBeLessThanOrEqual(1400);
    expect(20_300 - learned('start_server')).toBeGreaterThanOrEqual(0);
    expect(20_300 - learned('start_server')).toBeLessThanOrEqual(2030);
  });

  it('learns a duration from the API\'s own started/finished even when the first look came after the end', async () => {
    const vt = virtualTime(1_700_000_000_000);
    const t0 = vt.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const source = {
      getMany: async (ids: readonly number[]): Promise<Action[]> =>
        ids.map((id) => ({ id, command: 'create_server', status: 'success' as const, progress: 100, started: iso(t0), finished: iso(t0 + 12_000), resources: [], error: null })),
    };
    const history = new DurationHistory();
    for (const ms of [20_000, 21_000, 22_000]) history.record('create_server', ms);
    const watcher = new ActionWatcher({ actions: source, clock: vt.clock, sleep: vt.sleep, history });
    const p = watcher.wait(1, { command: 'create_server', startedAt: t0 });
    await vt.advance(20_000);
    await p;
    // Seen done at the first poll (0.9 × 20 s): the timestamps say 12 s, i.e. more than 11 s.
    expect(history.get('create_server')!.minMs).toBe(11_000);
  });

  it('a failed create_server is detected within its own allowance while start_server is awaited too', async () => {
    const vt = virtualTime();
    const t0 = vt.clock.now();
    const finish = new Map([
      [1, { at: t0 + 12_000, command: 'create_server', linearFrom: t0, error: true }],
      [2, { at: t0 + 40_000, command: 'start_server', linearFrom: t0 }],
    ]);
    const { client } = fakeCloud(vt, finish);
    const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
    const running = (id: number, command: string): Action => ({ id, command, status: 'running', progress: 0, started: '', finished: null, resources: [], error: null });
    let failedAt = 0;
    const p = watcher.waitAll([running(1, 'create_server'), running(2, 'start_server')]).catch((e: unknown) => {
      failedAt = vt.clock.now();
      return e;
    });
    await vt.advance(20_000);
    expect(await p).toBeInstanceOf(ActionFailedError);
    expect(failedAt - (t0 + 12_000)).toBeLessThanOrEqual(1200); // max(1 s, 10 % of 12 s)
  });

  it('progress that does not follow time changes nothing: latency stays within the allowance', async () => {
    // Reports 50 % from the start, then finishes: a linear reading of it always says 2× elapsed.
    // Several end times, so that a schedule merely probing geometrically cannot pass by luck.
    for (const endMs of [5_500, 13_000, 19_000, 25_000, 31_000, 47_000]) {
      const vt = virtualTime();
      const t0 = vt.clock.now();
      const { client } = fakeCloud(vt, new Map([[1, { at: t0 + endMs, command: 'create_server' }]]));
      const watcher = new ActionWatcher({ actions: client.actions, clock: vt.clock, sleep: vt.sleep });
      let seenAt = 0;
      const p = watcher.wait(1).then(() => (seenAt = vt.clock.now()));
      await vt.advance(endMs + 10_000, 100);
      await p;
      expect(seenAt - (t0 + endMs), `end at ${endMs} ms`).toBeLessThanOrEqual(Math.max(1000, endMs / 10));
    }
  });

  it('an action found again after a restart is dated by its own `started`, so a learned duration cannot make it late', async () => {
    const h = fakeHetzner();
    const t0 = h.vt.clock.now();
    const history = new DurationHistory();
    for (const ms of [15_000, 16_000, 17_000]) history.record('create_server', ms);
    // Started 20 s before this wait began; ends 1 s into it.
    h.actions.set(5, { id: 5, command: 'create_server', startedAt: t0 - 20_000, endsAt: t0 + 1000, curve: { knots: [], mode: 'steps' } });
    const watcher = h.watcher({ history });
    const found: Action = { id: 5, command: 'create_server', status: 'running', progress: 0, started: new Date(t0 - 20_000).toISOString(), finished: null, resources: [], error: null };
    let seenAt = -1;
    void watcher.waitFor(found).then(() => (seenAt = h.vt.clock.now()));
    await h.runUntil(() => seenAt >= 0);
    // Allowance of a 21 s action: 2.1 s. Dated from the wait, history would first look 13.5 s in.
    expect(seenAt - (t0 + 1000)).toBeLessThanOrEqual(2100);
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
