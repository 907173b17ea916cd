// `npm test`: every gate in order, stopping at the first failure, with the time each took and the
// number of tests each vitest step skipped. Nothing skips quietly: the count is printed per step,
// with the names, and under CI (CI=true) any skipped test fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCi, skippedTests, skipVerdict } from './test-report.mjs';

const reports = mkdtempSync(join(tmpdir(), 'outpost-test-report-'));

/** A vitest run that also writes a JSON report, read afterwards for its skipped tests. */
const vitest = (project) => ({
  command: 'npx',
  args: ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, `${project}.json`)}`],
  report: join(reports, `${project}.json`),
});
const run = (command, ...args) => ({ command, args });

// The same commands as the package.json scripts (test:security, test:e2e), split so each vitest run
// can write its report.
const steps = [
  ['typecheck', [run('npm', 'run', '--silent', 'typecheck')]],
  ['lint', [run('npx', 'eslint', '.', '--max-warnings=0')]],
  ['unit', [vitest('unit')]],
  ['integration', [vitest('integration')]],
  ['reliability (reduced)', [vitest('reliability')]],
  ['security', [vitest('security'), run('node', 'scripts/electronegativity.mjs')]],
  ['e2e', [run('node', 'scripts/require-chromium.mjs'), run('npm', 'run', '--silent', 'build:web'), vitest('e2e')]],
];

function skippedIn(reportFile) {
  try {
    return skippedTests(JSON.parse(readFileSync(reportFile, 'utf8')));
  } catch {
    return []; // no report: the run failed before writing one, and says so itself
  }
}

const only = process.argv.slice(2);
const results = [];
const allSkipped = [];
let failed = null;
for (const [name, commands] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = Date.now();
  let status = 0;
  let skipped = [];
  for (const { command, args, report } of commands) {
    console.log(`\n▶ ${name}: ${command} ${args.filter((a) => !a.startsWith('--outputFile')).join(' ')}`);
    const child = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } });
    status = child.status ?? 1;
    if (report) skipped = skipped.concat(skippedIn(report));
    if (status !== 0) break;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const skipNote = commands.some((c) => c.report) ? `, ${skipped.length} skipped` : '';
  results.push(`${status === 0 ? '✔' : '✘'} ${name} (${seconds}s${skipNote})`);
  for (const line of skipped) results.push(`    ↷ ${line}`);
  allSkipped.push(...skipped);
  if (status !== 0) {
    failed = { name, status };
    break;
  }
}
rmSync(reports, { recursive: true, force: true });

console.log(`\n${results.join('\n')}`);
if (failed) {
  console.error(`\nnpm test: the ${failed.name} step failed.`);
  process.exit(failed.status);
}
const verdict = skipVerdict(allSkipped, isCi());
if (!verdict.ok) {
  console.error(`\n${verdict.message}`);
  process.exit(1);
}
console.log(`\n${verdict.message}`);
