// `npm run test:mutation`: StrykerJS over the money- and secret-critical modules (stryker.config.mjs),
// timed, then the per-module table rendered from its report. A report left by an earlier run is removed
// first, so the table can only ever show this run. Exit code: Stryker's (break threshold, errors).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT } from './render-mutation.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(repo, REPORT), { force: true });

const started = Date.now();
const stryker = spawnSync(process.execPath, [path.join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
});
const wallSeconds = Math.round((Date.now() - started) / 1000);
console.log(`mutation run: ${wallSeconds} s wall time`);

const render = spawnSync(process.execPath, [path.join(repo, 'scripts/render-mutation.mjs'), `--wall-seconds=${wallSeconds}`], { cwd: repo, stdio: 'inherit' });
process.exit(stryker.status !== 0 ? (stryker.status ?? 1) : (render.status ?? 1));
