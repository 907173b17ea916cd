// The README's benchmark figures are produced, never typed: each bench block is exactly what its
// renderer makes of the results file committed beside it (bench/results/*.json). A figure edited by
// hand, or a results file replaced without rendering the README again, fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceBenchBlock, replaceTeamBlock, type BenchResults, type TeamBenchResults } from '../../../bench/report';
import { replaceFleetUiBlock, type FleetUiBenchResults } from '../../../bench/report-fleet-ui';

const readme = readFileSync('README.md', 'utf8');
const results = <T>(file: string): T => JSON.parse(readFileSync(`bench/results/${file}`, 'utf8')) as T;

describe("the README's bench blocks", () => {
  it.each([
    ['bench (scenarios 1–4)', () => replaceBenchBlock(readme, results<BenchResults>('latest.json'))],
    ['bench-fleet (the Fleet page in Chromium)', () => replaceFleetUiBlock(readme, results<FleetUiBenchResults>('fleet-ui.json'))],
    ['bench-team (the team server)', () => replaceTeamBlock(readme, results<TeamBenchResults>('team.json'))],
  ])('%s is what its results file renders to', (_, rerender) => {
    expect(rerender()).toBe(readme);
  });
});
