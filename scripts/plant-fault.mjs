// `npm run test:planted`: proves the suites behind the headline claims catch what they claim (the soak,
// crash anywhere, the schema fuzz, the support role). Each plant copies the
// working tree to a temporary directory, breaks one thing in the copy (an exact text edit that must
// apply exactly once, so a plant that no longer fits the code fails loudly instead of passing), runs
// the suite that should notice, and expects it to fail with the plant's own symptom. Nothing here is
// reachable from the product: the fault exists only in the throw-away copy.
//
//   node scripts/plant-fault.mjs                 every plant, each with its own seeds
//   node scripts/plant-fault.mjs crash-key-leak  one plant
//   node scripts/plant-fault.mjs crash-key-leak --seeds 821,1,2
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * name → { what, edits: [{ file, find, replace }], project (vitest project, default reliability), suite
 * (vitest args), seeds (OUTPOST_RELIABILITY_SEED values; one run each), expect (the failure the suite
 * must report) }.
 */
export const PLANTS = {
  'soak-leak': {
    what: 'every provision keeps 50 KB of heap forever (6,400 doubles)',
    edits: [
      {
        file: 'electron/core/provisioning/provision.ts',
        find: 'const { jobId, instanceId, plan } = job;',
        replace: 'const { jobId, instanceId, plan } = job;\n  ((globalThis.__plantedLeak ??= [])).push(Array.from({ length: 6400 }, () => Math.random()));',
      },
    ],
    suite: ['test/reliability/soak.test.ts'],
    seeds: [823],
    expect: /heap grew [\d.]+ KB per operation/,
  },
  'crash-key-leak': {
    // Both revocations a crash relies on: resume's (the key's secret died with the process) and the
    // re-run mint_key's (by job description, for a key whose create answer was lost). Either alone
    // is covered by the other, so planting one would leak nothing.
    what: 'a job resumed after a crash mints a new auth key without revoking the one minted before the crash',
    edits: [
      {
        file: 'electron/core/provisioning/provision.ts',
        find: 'const revoked = await revokeJobKeys(ctx.clouds, job.jobId, state.keyId, signal);',
        replace: "const revoked = { outcome: 'not revoked (planted)' };",
      },
      {
        file: 'electron/core/provisioning/provision.ts',
        find: 'await revokeJobKeys(ctx.clouds, jobId, undefined, signal);',
        replace: '/* planted: earlier keys of this job stay valid */',
      },
    ],
    suite: ['test/reliability/crash-anywhere.test.ts'],
    seeds: [821, 1, 2],
    expect: /valid unused key/,
  },
  'read-handler-crash': {
    what: 'regions:list throws (an internal error) when the server type is empty',
    edits: [
      {
        file: 'electron/core/services.ts',
        find: "'regions:list': async (req) => listRegions(store, req.serverType),",
        replace: "'regions:list': async (req) => { if (req.serverType === '') throw new Error('planted'); return listRegions(store, req.serverType); },",
      },
    ],
    project: 'security',
    suite: ['test/security/fuzz.test.ts', '-t', 'regions:list'],
    seeds: [1],
    expect: /internal/,
  },
  'support-destroys': {
    what: 'the core guard lets the support role destroy, cancel and retry',
    edits: [
      {
        file: 'electron/core/services/guard.ts',
        find: 'if (!decision.allowed) {',
        replace: "if (!decision.allowed && !['instances:destroy', 'provision:cancel', 'jobs:retry'].includes(channel)) {",
      },
    ],
    project: 'security',
    suite: ['test/security/roles.test.ts'],
    seeds: [1],
    expect: /read_only/,
  },
};

/** The working tree as git sees it (tracked and untracked, not ignored): what `npm test` would run. */
function copyTree(to) {
  const list = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`git ls-files failed: ${list.stderr}`);
  for (const file of list.stdout.split('\0').filter(Boolean)) {
    const from = path.join(repo, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    cpSync(from, path.join(to, file));
  }
  symlinkSync(path.join(repo, 'node_modules'), path.join(to, 'node_modules'), 'dir');
  // Tests read the official specs from ../shared, beside the repository.
  const shared = path.resolve(repo, '..', 'shared');
  if (existsSync(shared)) symlinkSync(shared, path.join(to, '..', 'shared'), 'dir');
}

function applyEdit(root, { file, find, replace }) {
  const target = path.join(root, file);
  const text = readFileSync(target, 'utf8');
  const count = text.split(find).length - 1;
  if (count !== 1) throw new Error(`the plant no longer applies: ${JSON.stringify(find)} occurs ${count} times in ${file} (update scripts/plant-fault.mjs)`);
  writeFileSync(target, text.replace(find, () => replace));
}

/** Runs one plant at one seed; returns null when the suite caught it, else why not. */
function runPlant(name, plant, seed) {
  const base = mkdtempSync(path.join(tmpdir(), `outpost-plant-${name}-`));
  const copy = path.join(base, 'main');
  try {
    copyTree(copy);
    for (const edit of plant.edits) applyEdit(copy, edit);
    const started = Date.now();
    const run = spawnSync('npx', ['vitest', 'run', '--project', plant.project ?? 'reliability', ...plant.suite], {
      cwd: copy,
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
      // Reduced size, and never the published figures: full runs alone write them.
      env: { ...process.env, OUTPOST_RELIABILITY: '', OUTPOST_RELIABILITY_SEED: String(seed), FORCE_COLOR: '0' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (run.status === 0) return `the suite passed with the plant in place (${seconds} s)`;
    if (!plant.expect.test(output)) return `the suite failed, but not with ${plant.expect} (${seconds} s):\n${output.slice(-3000)}`;
    console.log(`  seed ${seed}: caught (${output.match(plant.expect)[0]}; ${seconds} s)`);
    return null;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seedOverride = seedsAt >= 0 ? args.splice(seedsAt, 2)[1]?.split(',').map(Number) : null;
if (seedOverride && !seedOverride.every((s) => Number.isInteger(s) && s > 0)) {
  console.error('--seeds takes positive integers separated by commas, e.g. --seeds 821,1,2');
  process.exit(2);
}
const unknown = args.filter((a) => !(a in PLANTS));
if (unknown.length) {
  console.error(`unknown plant ${unknown.join(', ')}; known: ${Object.keys(PLANTS).join(', ')}`);
  process.exit(2);
}
const failures = [];
for (const name of args.length ? args : Object.keys(PLANTS)) {
  const plant = PLANTS[name];
  console.log(`▶ ${name}: ${plant.what}; expecting ${plant.suite.join(' ')} to fail`);
  for (const seed of seedOverride ?? plant.seeds) {
    const why = runPlant(name, plant, seed);
    if (why) failures.push(`${name} (seed ${seed}): ${why}`);
  }
}
if (failures.length) {
  console.error(`\nNot caught:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('\nEvery planted fault was caught.');
