// The simulator's progress shapes (issue 13): each is monotone, 0–99 while running, repeatable per
// seed and action, and has the character its name promises.
import { describe, expect, it } from 'vitest';
import { PROGRESS_SHAPES, type ProgressShape, curveProgress, progressCurve } from '../../../electron/sim/hetzner/progress';
import { resolveProfile } from '../../../electron/sim/profile';
import { parseSimArgs, simUsage } from '../../../electron/sim/flags';
import { OutpostError } from '../../../shared/errors';

const T0 = 1_700_000_000_000;
const action = (id: number, ms = 20_000) => ({ id, started: T0, finishAt: T0 + ms });
/** Readings every 100 ms over the action's run. */
function readings(shape: ProgressShape, id: number, idleUntil?: number, ms = 20_000): number[] {
  const curve = progressCurve(shape, 7, action(id, ms), idleUntil);
  const out: number[] = [];
  for (let t = 0; t < ms; t += 100) out.push(curveProgress(curve, T0 + t));
  return out;
}
const at = (r: number[], fraction: number) => r[Math.floor(fraction * r.length)]!;

describe('simulator progress shapes', () => {
  it('every shape is monotone, within 0–99 while running, and repeatable for a seed and action', () => {
    for (const shape of PROGRESS_SHAPES) {
      for (let id = 1; id <= 40; id++) {
        for (const idle of [undefined, T0 + 12_000]) {
          const r = readings(shape, id, idle);
          expect([...r].sort((a, b) => a - b), `${shape} #${id}`).toEqual(r);
          expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
          expect(Math.max(...r)).toBeLessThanOrEqual(99);
          expect(readings(shape, id, idle)).toEqual(r);
        }
      }
    }
  });

  it('each shape has the character its name promises', () => {
    for (let id = 1; id <= 40; id++) {
      const linear = readings('linear', id);
      expect(at(linear, 0.5)).toBe(50);
      expect(readings('zero', id).every((p) => p === 0)).toBe(true);
      // steps: nothing in the first half, at least one jump later, never smooth
      const steps = readings('steps', id);
      expect(Math.max(...steps.slice(0, steps.length / 2))).toBe(0);
      expect(Math.max(...steps)).toBeGreaterThan(0);
      expect(new Set(steps).size).toBeLessThanOrEqual(4);
      // stall: at 60–90 % by a quarter of the time, then not moving until done
      const stall = readings('stall', id);
      expect(at(stall, 0.25)).toBeGreaterThanOrEqual(60);
      expect(new Set(stall.slice(stall.length / 4)).size).toBe(1);
      // ahead: 99 from a third of the time on
      expect(readings('ahead', id).slice(Math.ceil(readings('ahead', id).length / 3)).every((p) => p === 99)).toBe(true);
      // late and realistic: 0 until the resource exists (12 s), then moving
      for (const shape of ['late', 'realistic'] as const) {
        const r = readings(shape, id, T0 + 12_000);
        expect(Math.max(...r.slice(0, 120)), `${shape} #${id}`).toBe(0);
        expect(Math.max(...r), `${shape} #${id}`).toBeGreaterThan(0);
      }
    }
    // Different actions draw different steps (uneven, not one pattern).
    expect(new Set([1, 2, 3, 4, 5].map((id) => readings('steps', id).join())).size).toBeGreaterThan(1);
  });

  it('the profile takes a shape and refuses an unknown one, naming the choices', () => {
    expect(resolveProfile(undefined).progress).toBe('realistic');
    expect(resolveProfile({ progress: 'zero' }).progress).toBe('zero');
    expect(() => resolveProfile({ progress: 'wobbly' as ProgressShape })).toThrow(/profile\.progress must be one of realistic, linear, zero/);
  });

  it('--progress SHAPE on the command line; an unknown shape is invalid_input naming the flag and the choices', () => {
    expect(parseSimArgs(['--progress', 'stall']).progress).toBe('stall');
    expect(parseSimArgs([]).progress).toBeUndefined();
    expect(simUsage).toMatch(/--progress SHAPE .*realistic\|linear\|zero\|steps\|stall\|late\|ahead/);
    let error: unknown;
    try {
      parseSimArgs(['--progress', 'wobbly']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutpostError);
    expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^--progress: one of realistic, linear, zero, steps, stall, late, ahead, got "wobbly"/) });
  });
});
