// Mutation testing (`npm run test:mutation`, never part of `npm test`): the modules where a silent
// bug costs money or leaks a secret. scripts/run-mutation.mjs runs this and renders the per-module
// table (scripts/render-mutation.mjs → bench/results/mutation.json and README "Numbers").
import { mkdirSync, symlinkSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectedModules } from './scripts/mutation-modules.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
// One module per run (OUTPOST_MUTATION_MODULE, set by run-mutation.mjs): see scripts/mutation-modules.mjs.
const modules = selectedModules();
const slug = process.env.OUTPOST_MUTATION_MODULE ?? 'all';
const tempDirName = '.stryker-tmp';

// Tests find the official specs at ../shared/specs, relative to the repository. Stryker runs them in
// <tempDirName>/sandbox-XXXX, whose ../shared is <tempDirName>/shared: point that at the real one, or
// the spec-based tests would skip and every mutant they alone kill would survive.
const sharedLink = path.join(root, tempDirName, 'shared');
mkdirSync(path.dirname(sharedLink), { recursive: true });
try {
  lstatSync(sharedLink);
} catch {
  symlinkSync(path.resolve(root, '../shared'), sharedLink, 'dir');
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: the permission table, regexes, allow-lists) run every test
  // for each mutant: 873 of 2046 here, 95 % of the time, far past 20 minutes on this machine. They are
  // reported as ignored; the permission table is instead pinned cell by cell (every channel × every
  // role) by test/integration/trust/permission-table.test.ts.
  ignoreStatic: true,
  mutate: modules.flatMap((m) => m.files),
  // Half of a shared 2-core machine; more would only make every test slower and time out.
  concurrency: 2,
  // A loaded machine makes tests slow and uneven: a mutant times out only well past its tests' dry-run time.
  timeoutMS: 20_000,
  timeoutFactor: 2,
  // Build output and artifacts: not needed by the tests, not worth copying into each sandbox.
  ignorePatterns: ['out', 'dist-web', 'test-artifacts', '.scratch', '.outpost-dev', 'reports', 'bench/results'],
  tempDirName,
  // 90 high / 80 low: under 80 % a module is red in the table and needs tests or a written reason.
  // break 80: the run fails when the overall score drops under it (per module: render-mutation.mjs).
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
};
