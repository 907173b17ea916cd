// `npm run bench` (= `tsx bench/run.ts`): runs every scenario once, side by side where they compare
// clients, and writes bench/results/latest.json and latest.md. Never part of `npm test`.
//
//   tsx bench/run.ts                 all scenarios (about 5 minutes)
//   tsx bench/run.ts --only=single,store
//   tsx bench/run.ts --quick         fewer seeds, smaller fleet and store, faster time scales (smoke run)
//   tsx bench/run.ts --only=single --shapes=realistic,zero   scenario 1 on some progress shapes only
//   tsx bench/run.ts --only=fleetui  scenario 6 alone (bench/results/fleet-ui.json and its README block)
//   tsx bench/run.ts --only=team     the team server alone (two `outpost serve` on one PostgreSQL database;
//                                    bench/results/team.json and its README block)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine';
import { renderMarkdown, replaceBenchBlock, replaceTeamBlock, type BenchResults, type TeamBenchResults } from './report';
import { e2eSingle } from './scenarios/e2e-single';
import { fleet } from './scenarios/fleet';
import { fleetUi } from './scenarios/fleet-ui';
import { writeFleetUi } from './report-fleet-ui';
import { fleetWatch } from './scenarios/fleet-watch';
import { hetznerSingle } from './scenarios/hetzner-single';
import { storeAtScale } from './scenarios/store';
import { teamServer } from './scenarios/team';
import { PROGRESS_SHAPES, isProgressShape } from '../electron/sim/hetzner/progress';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    shapes: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
  },
});

const quick = values.quick === true;
const ALL = ['single', 'watch', 'e2e', 'fleet', 'store', 'fleetui', 'team'];
const only = new Set((values.only ?? ALL.join(',')).split(',').map((s) => s.trim()));
const config = {
  single: { timeScale: quick ? 0.2 : 1, seeds: quick ? [101, 102, 103] : [101, 102, 103, 104, 105], shapes: values.shapes ? values.shapes.split(',').map((x) => x.trim()).filter(isProgressShape) : [...PROGRESS_SHAPES] },
  watch: { timeScale: quick ? 0.2 : 1, seed: 401, sizes: quick ? [1, 10] : [1, 10, 100] },
  e2e: { timeScale: quick ? 0.1 : 1, seeds: quick ? [201] : [201, 202, 203] },
  fleet: { timeScale: quick ? 0.1 : 0.25, seed: 301, vms: quick ? 20 : 100 },
  store: { instances: quick ? 1000 : 10_000, eventsPerJob: 20, runs: 20 },
  team: { timeScale: quick ? 0.05 : 0.25, seed: 501, provisions: quick ? 10 : 40 },
  fleetui: { sizes: quick ? [2000] : [10_000, 100_000], loads: quick ? 3 : 7, words: ['vm-0123', 'acme', '203.1.2', 'agent-42'] },
};

const t0 = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);

async function main(): Promise<void> {
  const results: BenchResults = {
    command: `npx tsx bench/run.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: await machineInfo(),
    quick,
    config,
    scenarios: {},
    totalSeconds: 0,
  };
  if (only.has('single')) {
    log('1. single VM, Hetzner part: official hcloud CLI vs Outpost client');
    results.scenarios.single = await hetznerSingle(config.single, log);
  }
  if (only.has('watch')) {
    log('1b. N creates at once through one ActionWatcher: requests per VM');
    results.scenarios.watch = await fleetWatch(config.watch, results.scenarios.single?.learned ?? [], log);
  }
  if (only.has('e2e')) {
    log('2. single VM, end to end through the pipeline vs the simulator floor');
    results.scenarios.e2e = await e2eSingle(config.e2e, log);
  }
  if (only.has('fleet')) {
    log('3. fleet: provisions at once under the rate limit');
    results.scenarios.fleet = await fleet(config.fleet, log);
  }
  if (only.has('store')) {
    log('4. store at scale');
    results.scenarios.store = await storeAtScale(config.store, log);
  }
  const dir = path.resolve(values.out ?? 'bench/results');
  mkdirSync(dir, { recursive: true });
  if (only.has('fleetui')) {
    log('6. the Fleet page in Chromium at 10,000 and 100,000 instances');
    const started = Date.now();
    const fleetUiResults = await fleetUi(config.fleetui, log);
    // Kept apart (bench/results/fleet-ui.json, its own README block) so that it can run alone.
    const fleetUiRun = { command: results.command, date: new Date(started).toISOString(), machine: results.machine, quick, fleetUi: fleetUiResults, totalSeconds: Math.round((Date.now() - started) / 100) / 10 };
    writeFleetUi(fleetUiRun, dir, !quick && values.out === 'bench/results', log);
    if (only.size === 1) return;
  }
  if (only.has('team')) {
    await runTeam(dir);
    // The team scenario (with or without fleetui) leaves latest.json and the bench block as they are.
    if (!['single', 'watch', 'e2e', 'fleet', 'store'].some((k) => only.has(k))) return;
  }
  results.totalSeconds = Math.round((Date.now() - t0) / 100) / 10;
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(path.join(dir, 'latest.md'), markdown);
  // A full run is what the README shows; a partial or quick one only writes its own files.
  if (!quick && !values.shapes && ALL.every((k) => only.has(k)) && values.out === 'bench/results') {
    const readme = path.resolve('README.md');
    writeFileSync(readme, replaceBenchBlock(readFileSync(readme, 'utf8'), results));
  }
  log(`done in ${results.totalSeconds} s: ${path.relative(process.cwd(), path.join(dir, 'latest.md'))}, latest.json`);
}

/** The team scenario to team.json and, unless quick or written elsewhere, the README's team block. */
async function runTeam(dir: string): Promise<void> {
  const started = Date.now();
  log('team server: two `outpost serve` processes on one PostgreSQL database');
  const team = await teamServer(config.team, log);
  const res: TeamBenchResults = {
    command: `npx tsx bench/run.ts --only=team${quick ? ' --quick' : ''}`,
    date: new Date(started).toISOString(),
    machine: await machineInfo(),
    quick,
    team,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(path.join(dir, 'team.json'), `${JSON.stringify(res, null, 2)}\n`);
  const readme = !quick && values.out === 'bench/results';
  if (readme) writeFileSync(path.resolve('README.md'), replaceTeamBlock(readFileSync(path.resolve('README.md'), 'utf8'), res));
  log(`team: ${path.relative(process.cwd(), path.join(dir, 'team.json'))}${readme ? " and the README's team block" : ''}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
