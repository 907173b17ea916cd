// Standalone entry: `npx tsx electron/sim/main.ts --port 8787 [--json] [--time-scale X] [--seed N]`.
import { parseArgs } from 'node:util';
import { runSim } from '../cli/commands/sim';
import { simFlagsHelp } from './flags';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    json: { type: 'boolean', default: false },
    'time-scale': { type: 'string' },
    seed: { type: 'string' },
    'state-file': { type: 'string' },
    fault: { type: 'string', multiple: true },
    'fail-action': { type: 'string', multiple: true },
    'no-enroll': { type: 'string', multiple: true },
    unavailable: { type: 'string', multiple: true },
    'rate-limit': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`usage: main.ts [--port N] [--json] [--time-scale X] [--seed N] [--state-file F]\n${simFlagsHelp}\n`);
  process.exit(0);
}

const num = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(text)}`);
  return n;
};

const sim = await runSim({
  port: num(values.port, 'port') ?? 8787,
  json: values.json,
  timeScale: num(values['time-scale'], 'time-scale'),
  seed: num(values.seed, 'seed'),
  stateFile: values['state-file'],
  fault: values.fault,
  failAction: values['fail-action'],
  noEnroll: values['no-enroll'],
  unavailable: values.unavailable,
  rateLimit: values['rate-limit'],
});

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
