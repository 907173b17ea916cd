// `node scripts/ensure-build.mjs`: makes out/ the build of the sources as they are now — the same
// `electron-vite build` as `npm run build` (desktop app and the `outpost` command, out/main/cli.js) —
// and skips it when out/ already is. Run by `npm install` (postinstall), by the npm scripts that start
// the command (`npm run outpost|web|sim`, `npm start`) and by the tests' globalSetup, so none of them
// runs code older than the sources.
//
// "Already is" is a content hash, not a timestamp: out/main/.sources-sha256 holds the hash of every
// input the build read, written only after a build of exactly those inputs succeeded. Any other
// build (a plain `npm run build`) empties out/main and takes the stamp with it, so the next run builds
// again instead of trusting it. The build goes to a staging folder and replaces out/ in one rename:
// a command started meanwhile (another test run, another terminal) never sees a half-written out/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Everything `electron-vite build` reads from the project (dependencies are external; the lock file pins the bundler). */
export const BUILD_INPUTS = ['electron', 'shared', 'renderer', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json'];
export const STAMP = join('out', 'main', '.sources-sha256');

function filesUnder(root, rel) {
  const abs = join(root, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() || entry.isFile() ? filesUnder(root, join(rel, entry.name)) : []));
}

/** SHA-256 over the build's inputs: each file's path and content, in a fixed order. */
export function sourcesHash(root = ROOT) {
  const hash = createHash('sha256');
  const files = BUILD_INPUTS.flatMap((input) => filesUnder(root, input)).map((f) => f.split(sep).join('/')).sort();
  for (const file of files) hash.update(`${file}\0${statSync(join(root, file)).size}\0`).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

/** Whether out/ is the build of the sources as they are now. */
export function isFresh(root = ROOT, hash = sourcesHash(root)) {
  const stamp = join(root, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash;
}

/** The project's own `electron-vite build`, into `outDir`. */
export function electronViteBuild(root, outDir) {
  const bin = join(dirname(createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`electron-vite build failed (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
}

/** Puts `staging` where out/ is, in one rename (retried if another build swapped its own in meanwhile). */
function swapIn(staging, out) {
  for (let attempt = 0; ; attempt++) {
    const old = `${staging}.old`;
    try {
      renameSync(out, old);
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    try {
      renameSync(staging, out);
      return;
    } catch (err) {
      if (!['ENOTEMPTY', 'EEXIST'].includes(err.code) || attempt >= 5) throw err;
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }
}

/**
 * Builds unless out/ is fresh. `build(root, outDir)` is the build itself (tests pass a fake one).
 * Returns whether it built and how long that took.
 */
export function ensureBuild({ root = ROOT, build = electronViteBuild, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const hash = sourcesHash(root);
  if (isFresh(root, hash)) return { built: false, ms: 0 };
  const started = Date.now();
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, 'outpost-build-'));
  chmodSync(staging, 0o755); // what a plain build's out/ gets, not mkdtemp's private 0700
  try {
    build(root, staging);
    writeFileSync(join(staging, relative('out', STAMP)), `${hash}\n`);
    // Another run may have finished the same build meanwhile: keep its out/ rather than swap twice.
    if (!isFresh(root, hash)) swapIn(staging, join(root, 'out'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const ms = Date.now() - started;
  log(`outpost: built out/ from the current sources in ${(ms / 1000).toFixed(1)}s`);
  return { built: true, ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    createRequire(join(ROOT, 'package.json')).resolve('electron-vite/package.json');
  } catch {
    // `npm install --omit=dev`: nothing can be built here; bin/outpost.mjs says what to run.
    console.error('outpost: not building out/ (electron-vite, a devDependency, is not installed). Run `npm install` with dev dependencies, then `npm run build`.');
    process.exit(0);
  }
  try {
    ensureBuild();
  } catch (err) {
    console.error(`outpost: ${err.message}`);
    process.exit(1);
  }
}
