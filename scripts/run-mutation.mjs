// `npm run test:mutation [-- slug …]`: StrykerJS over the money- and secret-critical modules, one run
// per module (scripts/mutation-modules.mjs says why), each timed; then the per-module table rendered
// from their reports. A module's old report is removed before its run, so the table can only show
// what this run measured (or, for modules not named on the command line, their last run).
// Exit code: the first failing Stryker run's (break threshold, errors), else the renderer's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
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
/**
 * CPU seconds used by this process's finished children (Linux: /proc/self/stat cutime + cstime, in
 * clock ticks of 1/100 s), or null elsewhere. Unlike the wall time it hardly depends on how many
 * other processes share the cores: on an otherwise idle 2-core machine a run takes about half of it.
 */
function childCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ", field 3 is index 0, so cutime (16) and cstime (17) are 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

let failed = 0;
for (const m of modules) {
  rmSync(path.join(repo, REPORT_DIR, `${m.slug}.json`), { force: true });
  // The 1-minute load average before and after: on a shared machine the wall time means little without it.
  const loadBefore = os.loadavg()[0];
  const cpuBefore = childCpuSeconds();
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run'], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, OUTPOST_MUTATION_MODULE: m.slug },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const load = [loadBefore, os.loadavg()[0]].map((l) => Math.round(l * 10) / 10);
  const cpuAfter = childCpuSeconds();
  const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : Math.round(cpuAfter - cpuBefore);
  console.log(`mutation run ${m.slug}: ${seconds} s wall time, ${cpuSeconds ?? '?'} CPU s (load average ${load.join(' → ')} on ${os.cpus().length} cores)`);
  writeFileSync(timingFile, `${JSON.stringify({ ...readTiming(), [m.slug]: { seconds, cpuSeconds, load } }, null, 2)}\n`);
  if (run.status !== 0 && failed === 0) failed = run.status ?? 1;
}

const render = spawnSync(process.execPath, [path.join(repo, 'scripts/render-mutation.mjs')], { cwd: repo, stdio: 'inherit' });
process.exit(failed !== 0 ? failed : (render.status ?? 1));
