// Renders bench/results/reliability.json (written by the full reliability suites) into the README
// between the reliability markers, so the figures there are produced, never typed. Runs at the end of
// `npm run test:reliability`; run it alone after editing the wording here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { replaceBlock as replaceReadmeBlock } from './readme-block.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const n = (x) => Number(x).toLocaleString('en-US');
const count = (record, key) => record?.[key] ?? 0;

function crashAnywhere(c) {
  if (!c) return '**crash anywhere** — no full run recorded yet';
  return (
    `**crash anywhere** (seed ${c.seed}, ${c.date}) — ${n(c.kills)} SIGKILLs at ${c.killPointsHit} different kill points ` +
    `across ${c.provisions} provisions (${c.topUps} top-up) and ${c.destroys} destroys on ${c.lanes} lanes ` +
    `(${n(c.childRuns)} child runs, ${c.paymentResends} payment re-sends, ${c.missedKills} planned kills the child never reached), ` +
    `the invariants checked ${c.invariantChecks} times, after every operation: ${c.jobsSucceeded} of ${c.jobs} jobs succeeded, every job terminal, ` +
    `at most one server per payment, no orphan server, device or valid key, \`integrity_check\` ok`
  );
}

function faultMatrix(f) {
  if (!f) return '**fault matrix** — no full run recorded yet';
  const p = f.provision ?? {};
  return (
    `**fault matrix** (seed ${f.seed}, ${f.date}) — ${f.endpoints} endpoints × {${f.kinds.join(', ')}}` +
    `${f.kinds.some((k) => k.endsWith('-after')) ? ' (the -after kinds, where the request takes effect before the answer fails, on the mutating endpoints)' : ''}, transient and persistent, ` +
    `${n(f.runs)} runs: ${count(p, 'succeeded')} succeeded, ${count(p, 'failed')} failed and compensated, ` +
    `${count(p, 'refused')} refused before any job existed (${f.resumedAfterRestart} resumed after a restart), nothing left behind`
  );
}

function soak(s) {
  if (!s) return '**soak** — no full run recorded yet';
  return (
    `**soak** (seed ${s.seed}, ${s.date}) — ${n(s.operations)} provisions and destroys, ${s.concurrency} at a time: all succeeded; ` +
    `heap ${s.heapSlopeKbPerOp} KB per operation (least-squares slope over ${n(s.measuredOps)} operations, read after a forced GC; ` +
    `bound ${s.boundKbPerOp} KB), ${s.heapGrowthMb} MB from after the warm-up to the end`
  );
}

export function render(results) {
  return (
    `Produced by \`npm run test:reliability\` (\`bench/results/reliability.json\`, rendered by \`scripts/render-reliability.mjs\`). ` +
    `${crashAnywhere(results.crashAnywhere)}; ${faultMatrix(results.faultMatrix)}; ${soak(results.soak)}.`
  );
}

/** `readme` with the reliability block replaced by `results` rendered. */
export const replaceBlock = (readme, results) => replaceReadmeBlock(readme, 'reliability', render(results), 'README.md');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const readmeFile = path.join(repo, 'README.md');
  const results = JSON.parse(readFileSync(path.join(repo, 'bench/results/reliability.json'), 'utf8'));
  writeFileSync(readmeFile, replaceBlock(readFileSync(readmeFile, 'utf8'), results));
  console.log('README.md: reliability figures rendered');
}
