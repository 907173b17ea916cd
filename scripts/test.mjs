// `npm test`: every gate in order, stopping at the first failure, with the time each took.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['unit', 'npx', ['vitest', 'run', '--project', 'unit']],
  ['integration', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['reliability (reduced)', 'npx', ['vitest', 'run', '--project', 'reliability']],
  ['security', 'npm', ['run', '--silent', 'test:security']],
  ['e2e', 'npm', ['run', '--silent', 'test:e2e']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push(`${run.status === 0 ? '✔' : '✘'} ${name} (${seconds}s)`);
  if (run.status !== 0) {
    console.error(`\n${results.join('\n')}\n\nnpm test: the ${name} step failed.`);
    process.exit(run.status ?? 1);
  }
}
console.log(`\n${results.join('\n')}`);
