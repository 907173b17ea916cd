// `npm run test:mutation [-- slug …]`: StrykerJS over the money- and secret-critical modules, one run
// per module (scripts/mutation-modules.mjs says why), each timed; then the per-module table rendered
// from their reports. A module's old report is removed before its run, so the table can only show
// what this run measured (or, for modules not named on the command line, their last run).
// Exit code: the first failing Stryker run's (break threshold, errors), else the renderer's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES } from './mutation-modules.mjs';
import { REPORT_DIR, TIMING } from './render-mutation.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const unknown = wanted.filter((s) => !MUTATION_MODULES.some((m) => m.slug === s));
if (unknown.length > 0) {
  console.error(`run-mutation: unknown module ${unknown.join(', ')}; one of ${MUTATION_MODULES.map((m) => m.slug).join(', ')}`);
  process.exit(2);
}
const modules = wanted.length > 0 ? MUTATION_MODULES.filter((m) => wanted.includes(m.slug)) : MUTATION_MODULES;

mkdirSync(path.join(repo, REPORT_DIR), { recursive: true });
const timingFile = path.join(repo, TIMING);
// Read afresh before each write: another module's run may have recorded its time meanwhile.
const readTiming = () => (existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, 'utf8')) : {});
let failed = 0;
for (const m of modules) {
  rmSync(path.join(repo, REPORT_DIR, `${m.slug}.json`), { force: true });
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run'], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, OUTPOST_MUTATION_MODULE: m.slug },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`mutation run ${m.slug}: ${seconds} s wall time`);
  writeFileSync(timingFile, `${JSON.stringify({ ...readTiming(), [m.slug]: seconds }, null, 2)}\n`);
  if (run.status !== 0 && failed === 0) failed = run.status ?? 1;
}

const render = spawnSync(process.execPath, [path.join(repo, 'scripts/render-mutation.mjs')], { cwd: repo, stdio: 'inherit' });
process.exit(failed !== 0 ? failed : (render.status ?? 1));
