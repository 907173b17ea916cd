// A fake Hetzner for ActionWatcher tests on the virtual clock: each action ends at a given time and
// reports `progress` from any monotone curve until then. The driver advances the virtual clock
// exactly to the watcher's next wake-up (no step rounding), so a detection time measured here is
// the watcher's own, to the millisecond.
import { ActionWatcher, type ActionWatcherOptions } from '../../../electron/core/fleet/action-watcher';
import type { Action } from '../../../electron/core/hetzner/types';
import { virtualTime } from '../../fixtures/virtual-time';

/** Progress knots: at `fraction` of the action's duration the reading becomes (or ramps to) `percent`. */
export interface ProgressCurve {
  knots: { fraction: number; percent: number }[];
  /** Steps hold each value until the next knot; ramps interpolate linearly between knots. */
  mode: 'steps' | 'ramps';
}

export interface FakeAction {
  id: number;
  command: string;
  /** Virtual ms, absolute. */
  startedAt: number;
  endsAt: number;
  curve: ProgressCurve;
  fails?: boolean;
}

/** The reading at `now` (integer 0–99 while running), never decreasing, whatever the knots say. */
export function progressAt(a: FakeAction, now: number): number {
  const f = (now - a.startedAt) / Math.max(1, a.endsAt - a.startedAt);
  let value = 0;
  let prev = { fraction: 0, percent: 0 };
  for (const k of [...a.curve.knots].sort((x, y) => x.fraction - y.fraction)) {
    const percent = Math.max(prev.percent, k.percent);
    if (f >= k.fraction) value = percent;
    else {
      if (a.curve.mode === 'ramps' && k.fraction > prev.fraction) value = prev.percent + ((percent - prev.percent) * (f - prev.fraction)) / (k.fraction - prev.fraction);
      break;
    }
    prev = { fraction: k.fraction, percent };
  }
  return Math.max(0, Math.min(99, Math.floor(value)));
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function fakeHetzner(start = 1_700_000_000_000) {
  const vt = virtualTime(start);
  const actions = new Map<number, FakeAction>();
  const polls: { at: number; ids: number[] }[] = [];
  // Every pending sleep's wake-up time, so the driver can jump straight to the next one.
  const wakeups = new Set<number>();
  const sleep = (ms: number, signal?: AbortSignal) => {
    const at = vt.clock.now() + ms;
    wakeups.add(at);
    return vt.sleep(ms, signal).finally(() => wakeups.delete(at));
  };
  const source = {
    async getMany(ids: readonly number[]): Promise<Action[]> {
      const now = vt.clock.now();
      polls.push({ at: now, ids: [...ids] });
      return ids.flatMap((id) => {
        const a = actions.get(id);
        if (!a) return [];
        const done = now >= a.endsAt;
        const status = done ? (a.fails ? 'error' : 'success') : 'running';
        return [{ id, command: a.command, status, progress: done ? (a.fails ? progressAt(a, now) : 100) : progressAt(a, now), started: iso(a.startedAt), finished: done ? iso(a.endsAt) : null, resources: [], error: done && a.fails ? { code: 'action_failed', message: 'Action failed' } : null } satisfies Action];
      });
    },
  };
  return {
    vt,
    actions,
    polls,
    watcher: (options: Partial<ActionWatcherOptions> = {}) => new ActionWatcher({ actions: source, clock: vt.clock, sleep, ...options }),
    /** Runs the clock from wake-up to wake-up until `done()` holds (or `limitMs` of virtual time passed). */
    async runUntil(done: () => boolean, limitMs = 3_600_000): Promise<void> {
      const end = vt.clock.now() + limitMs;
      await vt.advance(0);
      while (!done()) {
        const next = Math.min(...wakeups);
        if (!Number.isFinite(next) || next > end) throw new Error(`watcher idle or past the limit with waits pending (next wake-up ${next - start} ms)`);
        const gap = Math.max(1, next - vt.clock.now());
        await vt.advance(gap, Math.max(1, gap));
      }
    },
  };
}
