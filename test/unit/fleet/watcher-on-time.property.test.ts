// Issue 13: the ActionWatcher is on time whatever `progress` does. Hetzner documents `progress`
// only as "percent": it may sit at 0 until done, jump late, stall for hours or extrapolate to a
// wrong end. Over random monotone curves and random durations, cold (nothing learned) and warm
// (durations learned from earlier actions), every action must be detected within
// max(1 s, 10 % of its elapsed time), and the polls must stay within the bound of a schedule that
// reads nothing but done / not done.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurationHistory } from '../../../electron/core/fleet/duration-history';
import { fakeHetzner, type ProgressCurve } from './watcher-harness';

const allowance = (elapsedMs: number) => Math.max(1000, 0.1 * elapsedMs);

/**
 * Polls a done/not-done schedule needs to see an end at `endMs`: first poll at `firstMs`, then one
 * allowance apart less the 5 % it keeps for timer lateness and the answer (DEFAULT_SCHEDULE.slack).
 */
function chainPolls(firstMs: number, endMs: number): number {
  let q = Math.floor(firstMs);
  let n = 1;
  while (q < endMs) {
    q = Math.floor(q + 0.95 * allowance(q)); // whole milliseconds, as any clock reads
    n += 1;
  }
  return n;
}

const curve: fc.Arbitrary<ProgressCurve> = fc.record({
  knots: fc.array(fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }), percent: fc.integer({ min: 0, max: 99 }) }), { maxLength: 6 }),
  mode: fc.constantFrom('steps' as const, 'ramps' as const),
});

/** Curves the issue names, besides random ones: flat 0, one late jump, an early stall, linear. */
const namedCurve: fc.Arbitrary<ProgressCurve> = fc.constantFrom<ProgressCurve>(
  { knots: [], mode: 'steps' },
  { knots: [{ fraction: 0.85, percent: 50 }], mode: 'steps' },
  { knots: [{ fraction: 0.1, percent: 80 }], mode: 'ramps' },
  { knots: [{ fraction: 1, percent: 100 }], mode: 'ramps' },
  { knots: [{ fraction: 0.02, percent: 30 }], mode: 'steps' },
);

const anyCurve = fc.oneof(curve, namedCurve);

describe('ActionWatcher on time whatever progress does (property)', () => {
  it('cold: one action, any monotone progress, any duration: on time, polls within the done/not-done bound', async () => {
    await fc.assert(
      fc.asyncProperty(anyCurve, fc.integer({ min: 50, max: 240_000 }), async (c, durationMs) => {
        const h = fakeHetzner();
        const t0 = h.vt.clock.now();
        h.actions.set(1, { id: 1, command: 'create_server', startedAt: t0, endsAt: t0 + durationMs, curve: c });
        const watcher = h.watcher();
        let seenAt = -1;
        void watcher.wait(1, { command: 'create_server', startedAt: t0 }).then(() => (seenAt = h.vt.clock.now()));
        await h.runUntil(() => seenAt >= 0);
        expect(seenAt - (t0 + durationMs)).toBeLessThanOrEqual(allowance(durationMs));
        expect(h.polls.length).toBeLessThanOrEqual(chainPolls(0.95 * allowance(0), durationMs));
      }),
      { numRuns: 300 },
    );
  });

  it('warm: durations learned from earlier actions; any action at least as long as the shortest learned is on time', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyCurve,
        fc.array(fc.integer({ min: 1000, max: 120_000 }), { minLength: 3, maxLength: 8 }),
        fc.integer({ min: 0, max: 120_000 }),
        async (c, learned, extraMs) => {
          const history = new DurationHistory();
          for (const ms of learned) history.record('start_server', ms);
          const durationMs = Math.min(...learned) + extraMs;
          const h = fakeHetzner();
          const t0 = h.vt.clock.now();
          h.actions.set(7, { id: 7, command: 'start_server', startedAt: t0, endsAt: t0 + durationMs, curve: c });
          const watcher = h.watcher({ history });
          let seenAt = -1;
          void watcher.wait(7, { command: 'start_server', startedAt: t0 }).then(() => (seenAt = h.vt.clock.now()));
          await h.runUntil(() => seenAt >= 0);
          expect(seenAt - (t0 + durationMs)).toBeLessThanOrEqual(allowance(durationMs));
          // Never more than cold, and close to a schedule that knew the shortest duration: its chain
          // from a little before it, plus a look every 30 s while waiting for it (the starvation
          // guard) and at most one probe pulled in by progress.
          const shortest = Math.min(...learned);
          expect(h.polls.length).toBeLessThanOrEqual(chainPolls(0.95 * allowance(0), durationMs));
          expect(h.polls.length).toBeLessThanOrEqual(chainPolls(0.8 * shortest, durationMs) + Math.floor(shortest / 30_000) + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('several actions sharing ticks (create + start, staggered waits, a failure): each on time', async () => {
    const action = fc.record({ curve: anyCurve, durationMs: fc.integer({ min: 50, max: 150_000 }), delayMs: fc.integer({ min: 0, max: 20_000 }), fails: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 2, maxLength: 5 }), fc.boolean(), async (specs, warm) => {
        const history = new DurationHistory();
        if (warm) for (const s of specs) for (let i = 0; i < 3; i++) history.record(`cmd-${specs.indexOf(s)}`, s.durationMs);
        const h = fakeHetzner();
        const t0 = h.vt.clock.now();
        const watcher = h.watcher({ history });
        const seen = new Map<number, number>();
        specs.forEach((s, i) => {
          const id = i + 1;
          const startedAt = t0 + s.delayMs;
          h.actions.set(id, { id, command: `cmd-${i}`, startedAt, endsAt: startedAt + s.durationMs, curve: s.curve, fails: s.fails });
        });
        // Each wait begins when its action starts (as a POST answer hands it over).
        const order = [...h.actions.values()].sort((a, b) => a.startedAt - b.startedAt);
        for (const a of order) {
          if (a.startedAt > h.vt.clock.now()) await h.runUntil(() => h.vt.clock.now() >= a.startedAt, a.startedAt - h.vt.clock.now()).catch(async () => h.vt.advance(a.startedAt - h.vt.clock.now(), a.startedAt - h.vt.clock.now()));
          if (h.vt.clock.now() < a.startedAt) await h.vt.advance(a.startedAt - h.vt.clock.now(), a.startedAt - h.vt.clock.now());
          const settle = () => seen.set(a.id, h.vt.clock.now());
          void watcher.wait(a.id, { command: a.command, startedAt: a.startedAt }).then(settle, settle);
        }
        await h.runUntil(() => seen.size === specs.length);
        for (const a of h.actions.values()) {
          const late = Math.max(seen.get(a.id)!, a.startedAt) - a.endsAt;
          expect(late).toBeLessThanOrEqual(allowance(a.endsAt - a.startedAt));
        }
      }),
      { numRuns: 200 },
    );
  });
});
