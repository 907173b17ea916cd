// The reliability suites' figures: the soak's heap slope, the results file the full suites write,
// and the README block rendered from it (so README numbers are produced, never typed).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { heapSlope } from '../../reliability/heap-slope';
import { recordFigures } from '../../reliability/results';
import { render, replaceBlock } from '../../../scripts/render-reliability.mjs';
import { tempDir } from '../../fixtures/temp-dir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const scratch = () => {
  const t = tempDir('outpost-figures-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'reliability.json');
};

describe('heapSlope', () => {
  it('is the KB per operation that stays behind, whatever is in flight at each reading', () => {
    // 50 KB per op plus an alternating ±1 MB of in-flight noise: the slope still finds the 50.
    const readings = Array.from({ length: 31 }, (_, i) => ({ ops: 30 + i * 10, heapUsedMb: 28 + (i * 10 * 50) / 1024 + (i % 2 ? 1 : -1) }));
    expect(heapSlope(readings)).toBeGreaterThan(45);
    expect(heapSlope(readings)).toBeLessThan(55);
    expect(heapSlope([{ ops: 0, heapUsedMb: 10 }, { ops: 100, heapUsedMb: 10 }])).toBe(0);
  });

  it('refuses readings that cannot give a slope', () => {
    expect(() => heapSlope([{ ops: 5, heapUsedMb: 1 }, { ops: 5, heapUsedMb: 2 }])).toThrow(RangeError);
  });
});

describe('recordFigures', () => {
  it('writes nothing from a reduced run', () => {
    const file = scratch();
    expect(recordFigures('soak', { seed: 1 }, file, false)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('replaces its own section with the date, keeping the other suites', () => {
    const file = scratch();
    writeFileSync(file, JSON.stringify({ faultMatrix: { seed: 9 }, soak: { seed: 1, old: true } }));
    expect(recordFigures('soak', { seed: 2 }, file, true)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.faultMatrix).toEqual({ seed: 9 });
    expect(written.soak).toEqual({ seed: 2, date: new Date().toISOString().slice(0, 10) });
  });
});

describe('render-reliability', () => {
  const results = {
    crashAnywhere: { seed: 821, date: '2026-11-29', lanes: 3, provisions: 20, topUps: 1, destroys: 5, kills: 31, missedKills: 4, killPointsHit: 14, childRuns: 77, paymentResends: 15, invariantChecks: 29, jobs: 28, jobsSucceeded: 28 },
    faultMatrix: { seed: 822, date: '2026-11-29', endpoints: 15, kinds: ['500', 'hang'], runs: 294, provision: { succeeded: 114, failed: 153, refused: 27 }, resumedAfterRestart: 3 },
    soak: { seed: 823, date: '2026-11-29', operations: 560, concurrency: 40, measuredOps: 500, heapSlopeKbPerOp: 2.4, boundKbPerOp: 20, heapGrowthMb: 0.7 },
  };

  it('renders every figure from the results file', () => {
    const text = render(results);
    for (const figure of ['seed 821', '31 SIGKILLs', '14 different kill points', '77 child runs', '15 payment re-sends', 'checked 29 times', '294 runs', '114 succeeded', '153 failed', '27 refused', '2.4 KB per operation', '500 operations', 'bound 20 KB']) {
      expect(text).toContain(figure);
    }
    expect(render({})).toContain('no full run recorded yet');
  });

  it('replaces only the block between the markers, and refuses a README without them', () => {
    const readme = 'before\n<!-- reliability:start -->\nhand-typed 28 kills\n<!-- reliability:end -->\nafter\n';
    const next = replaceBlock(readme, results);
    expect(next.startsWith('before\n<!-- reliability:start -->\n')).toBe(true);
    expect(next.endsWith('<!-- reliability:end -->\nafter\n')).toBe(true);
    expect(next).not.toContain('hand-typed');
    expect(replaceBlock(next, results)).toBe(next);
    expect(() => replaceBlock('no markers', results)).toThrow(/reliability:start/);
  });
});
