// Every flag of the simulator's command line, parsed in this one place for both entries (`outpost sim`
// and `electron/sim/main.ts`). node:util's parseArgs and not commander: commander reads any `--no-X`
// as the negation of `--X`, so `--no-enroll` could never be a flag of its own there.
import { parseArgs } from 'node:util';
import { OutpostError } from '../../shared/errors';
import type { SimControl } from './control';
import type { ActionFaultSpec, EnrollmentFaultSpec, HttpFaultSpec, ShortageSpec } from './faults';
import { DEFAULT_PROGRESS_SHAPE, PROGRESS_SHAPES, type ProgressShape, isProgressShape } from './hetzner/progress';

export const simUsage = [
  'usage: outpost sim [--port N] [--json] [--time-scale X] [--seed N] [--state-file F] [fault flags]',
  '',
  '--port N                           port on 127.0.0.1 (default 8787; 0 picks a free one)',
  '--json                             print the URLs and credentials as one JSON line',
  '--time-scale X                     multiply every simulated delay (0.01 makes a 20 s create take 0.2 s)',
  '--seed N                           repeatable ids, addresses, delays and credentials',
  '--state-file F                     keep the simulated clouds in this JSON file across restarts',
  `--progress SHAPE                   how actions' progress moves: ${PROGRESS_SHAPES.join('|')} (default ${DEFAULT_PROGRESS_SHAPE})`,
  '',
  'Fault flags (each repeatable):',
  '--fault "METHOD PATH STATUS[:code] [count=N] [p=0.5] [latency=MS] [hang] [reset] [malformed] [after]"',
  '      e.g. --fault "POST /hetzner/v1/servers 503:unavailable count=2"   (PATH is a glob, * matches anything)',
  '--fail-action COMMAND[:count]      make actions of COMMAND end in error, e.g. --fail-action start_server:1',
  '--no-enroll [HOSTNAME]             enrollment never happens (for HOSTNAME, or "*" / no value for every server)',
  '--unavailable TYPE@LOCATION        resource_unavailable for a server type in a location, e.g. cx22@fsn1',
  '--rate-limit CAPACITY[:REFILL]     Hetzner token bucket size and refill per second (default 3600:1)',
].join('\n');

const OPTIONS = {
  port: { type: 'string' },
  json: { type: 'boolean' },
  'time-scale': { type: 'string' },
  seed: { type: 'string' },
  'state-file': { type: 'string' },
  progress: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'fail-action': { type: 'string', multiple: true },
  'no-enroll': { type: 'string', multiple: true },
  unavailable: { type: 'string', multiple: true },
  'rate-limit': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Faults to install once the simulator listens, already checked. */
export interface SimFaults {
  http: HttpFaultSpec[];
  actions: ActionFaultSpec[];
  enrollment: EnrollmentFaultSpec[];
  unavailable: ShortageSpec[];
  rateLimit?: { capacity: number; refillPerSecond: number };
}

export interface SimArgs {
  help: boolean;
  port: number;
  json: boolean;
  timeScale?: number;
  seed?: number;
  stateFile?: string;
  /** How actions' `progress` moves (electron/sim/hetzner/progress.ts). */
  progress?: ProgressShape;
  faults: SimFaults;
}

const HINT = 'See `outpost sim --help` for every flag and its format.';
const bad = (flag: string, message: string): OutpostError => new OutpostError('invalid_input', `--${flag}: ${message}`, { hint: HINT });

function number(flag: string, text: string, check: (n: number) => boolean, what: string): number {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || !check(n)) throw bad(flag, `${what}, got ${JSON.stringify(text)}.`);
  return n;
}
const isCount = (n: number) => Number.isInteger(n) && n >= 1;

export function parseFaultFlag(text: string): HttpFaultSpec {
  const [method, path, ...rest] = text.trim().split(/\s+/);
  if (!method || !path) throw bad('fault', `needs "METHOD PATH …", got ${JSON.stringify(text)}.`);
  if (!/^([A-Z]+|\*)$/.test(method)) throw bad('fault', `METHOD is an HTTP method in capitals or *, got ${JSON.stringify(method)}.`);
  if (!path.startsWith('/') && path !== '*') throw bad('fault', `PATH starts with / (a glob, * matches anything), got ${JSON.stringify(path)}.`);
  const spec: HttpFaultSpec = { method, path };
  for (const token of rest) {
    const [key = '', value = ''] = token.split('=');
    if (/^\d{3}(:\w+)?$/.test(token)) {
      const [status, code] = token.split(':');
      spec.status = Number(status);
      if (code) spec.code = code;
    } else if (key === 'count') spec.count = number('fault', value, isCount, 'count= is a whole number from 1');
    else if (key === 'p') spec.probability = number('fault', value, (n) => n > 0 && n <= 1, 'p= is a probability above 0, at most 1');
    else if (key === 'latency') spec.latencyMs = number('fault', value, (n) => n >= 0, 'latency= is milliseconds, 0 or more');
    else if (token === 'hang') spec.hang = true;
    else if (token === 'reset') spec.reset = true;
    else if (token === 'malformed') spec.malformed = true;
    else if (token === 'after') spec.phase = 'after';
    else throw bad('fault', `unknown part ${JSON.stringify(token)}.`);
  }
  return spec;
}

export function parseRateLimit(text: string): { capacity: number; refillPerSecond: number } {
  const [capacity = '', refill = '1', ...extra] = text.split(':');
  if (extra.length > 0) throw bad('rate-limit', `needs CAPACITY[:REFILL], got ${JSON.stringify(text)}.`);
  return {
    capacity: number('rate-limit', capacity, isCount, 'CAPACITY is a whole number from 1'),
    refillPerSecond: number('rate-limit', refill, (n) => n >= 0, 'REFILL is requests per second, 0 or more'),
  };
}

function parseFailAction(text: string): ActionFaultSpec {
  const [command = '', count, ...extra] = text.split(':');
  if (!/^([a-z_]+|\*)$/.test(command) || extra.length > 0) throw bad('fail-action', `needs COMMAND[:count] such as start_server:1 (or * for any), got ${JSON.stringify(text)}.`);
  return count === undefined ? { command } : { command, count: number('fail-action', count, isCount, 'count is a whole number from 1') };
}

function parseUnavailable(text: string): ShortageSpec {
  const match = /^([a-z0-9-]+)@([a-z0-9-]+)$/.exec(text);
  if (!match) throw bad('unavailable', `needs TYPE@LOCATION such as cx22@fsn1, got ${JSON.stringify(text)}.`);
  return { serverType: match[1]!, location: match[2]! };
}

/**
 * `--no-enroll` takes an optional HOSTNAME, which parseArgs cannot express: without one (last, or
 * followed by another flag) it means every server, written here as `--no-enroll=*`. A hostname never
 * starts with "-" (RFC 1123), so the next token is a flag exactly when it does.
 */
function withNoEnrollValues(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--no-enroll' && (next === undefined || next.startsWith('-')) ? '--no-enroll=*' : arg;
  });
}

/** Parses and checks every flag; a bad one is an `invalid_input` OutpostError naming it, before anything starts. */
export function parseSimArgs(argv: readonly string[]): SimArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: withNoEnrollValues(argv), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs names the flag in its own words ("Unknown option '--x'", "argument missing").
    throw new OutpostError('invalid_input', `${error instanceof Error ? error.message : String(error)}`, { hint: HINT });
  }
  const stateFile = values['state-file'];
  if (stateFile !== undefined && stateFile.trim() === '') throw bad('state-file', 'needs a file name.');
  const args: SimArgs = {
    help: values.help === true,
    port: values.port === undefined ? 8787 : number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port is a whole number from 0 to 65535'),
    json: values.json === true,
    faults: {
      http: (values.fault ?? []).map(parseFaultFlag),
      actions: (values['fail-action'] ?? []).map(parseFailAction),
      enrollment: (values['no-enroll'] ?? []).map((h) => (h === '*' || h === '' ? {} : { hostname: h })),
      unavailable: (values.unavailable ?? []).map(parseUnavailable),
    },
  };
  if (values['time-scale'] !== undefined) args.timeScale = number('time-scale', values['time-scale'], (n) => n > 0, 'a factor above 0 such as 0.01');
  if (values.seed !== undefined) args.seed = number('seed', values.seed, (n) => Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1, `a seed is a whole number from 0 to ${2 ** 31 - 1}`);
  if (stateFile !== undefined) args.stateFile = stateFile;
  if (values.progress !== undefined) {
    if (!isProgressShape(values.progress)) throw bad('progress', `one of ${PROGRESS_SHAPES.join(', ')}, got ${JSON.stringify(values.progress)}.`);
    args.progress = values.progress;
  }
  if (values['rate-limit'] !== undefined) args.faults.rateLimit = parseRateLimit(values['rate-limit']);
  return args;
}

/** Installs the faults on a running simulator through its control endpoints. */
export async function applySimFaults(control: SimControl, faults: Partial<SimFaults>): Promise<void> {
  for (const spec of faults.http ?? []) await control.addFault(spec);
  for (const spec of faults.actions ?? []) await control.failActions(spec);
  for (const spec of faults.enrollment ?? []) await control.blockEnrollment(spec);
  for (const spec of faults.unavailable ?? []) await control.makeUnavailable(spec);
  if (faults.rateLimit) await control.setRateLimit(faults.rateLimit);
}
