// The one parser of the simulator's flags (electron/sim/flags.ts): what each documented flag becomes,
// and every malformed value refused as an invalid_input OutpostError naming the flag.
import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { parseSimArgs } from '../../../electron/sim/flags';

const refusal = (argv: string[]): OutpostError => {
  try {
    parseSimArgs(argv);
  } catch (error) {
    if (error instanceof OutpostError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe('parseSimArgs', () => {
  it('defaults: port 8787, no json, no faults', () => {
    expect(parseSimArgs([])).toEqual({ help: false, port: 8787, json: false, faults: { http: [], actions: [], enrollment: [], unavailable: [] } });
  });

  it('reads every documented flag', () => {
    const args = parseSimArgs([
      '--port', '0', '--json', '--time-scale', '0.01', '--seed', '5', '--state-file', 's.json',
      '--fault', 'POST /hetzner/v1/servers 503:unavailable count=2 p=0.5 latency=10 after',
      '--fault', 'GET * hang',
      '--fail-action', 'start_server:1', '--fail-action', '*',
      '--no-enroll', 'web-1', '--no-enroll', '--no-enroll=*',
      '--unavailable', 'ccx13@sin',
      '--rate-limit', '10:0.5',
    ]);
    expect(args).toEqual({
      help: false,
      port: 0,
      json: true,
      timeScale: 0.01,
      seed: 5,
      stateFile: 's.json',
      faults: {
        http: [
          { method: 'POST', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', count: 2, probability: 0.5, latencyMs: 10, phase: 'after' },
          { method: 'GET', path: '*', hang: true },
        ],
        actions: [{ command: 'start_server', count: 1 }, { command: '*' }],
        enrollment: [{ hostname: 'web-1' }, {}, {}],
        unavailable: [{ serverType: 'ccx13', location: 'sin' }],
        rateLimit: { capacity: 10, refillPerSecond: 0.5 },
      },
    });
  });

  it('--no-enroll as the last flag means every server', () => {
    expect(parseSimArgs(['--json', '--no-enroll']).faults.enrollment).toEqual([{}]);
  });

  it('--help and -h', () => {
    expect(parseSimArgs(['--help']).help).toBe(true);
    expect(parseSimArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--no-enroll-host', 'x'], /Unknown option '--no-enroll-host'/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port'], /--port/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--no-enroll', 'a', 'b'], /Unexpected argument 'b'/],
    [['--port', 'x'], /^--port: a port is a whole number from 0 to 65535, got "x"/],
    [['--port', '65536'], /^--port: /],
    [['--port', ''], /^--port: /],
    [['--time-scale', '0'], /^--time-scale: a factor above 0/],
    [['--time-scale', 'fast'], /^--time-scale: /],
    [['--seed', '1.5'], /^--seed: a seed is a whole number/],
    [['--seed', '-1'], /Option '--seed' argument is ambiguous/],
    [['--seed=-1'], /^--seed: a seed is a whole number/],
    [['--state-file', ' '], /^--state-file: needs a file name/],
    [['--fault', 'GET'], /^--fault: needs "METHOD PATH …"/],
    [['--fault', 'get /x 503'], /^--fault: METHOD is an HTTP method/],
    [['--fault', 'GET x 503'], /^--fault: PATH starts with \//],
    [['--fault', 'GET /x bogus'], /^--fault: unknown part "bogus"/],
    [['--fault', 'GET /x 503 count=0'], /^--fault: count= is a whole number from 1/],
    [['--fault', 'GET /x 503 count='], /^--fault: count= /],
    [['--fault', 'GET /x p=2'], /^--fault: p= is a probability/],
    [['--fault', 'GET /x latency=-1'], /^--fault: latency= /],
    [['--fail-action', 'start_server:x'], /^--fail-action: count is a whole number from 1/],
    [['--fail-action', 'Start Server'], /^--fail-action: needs COMMAND\[:count\]/],
    [['--fail-action', 'a:1:2'], /^--fail-action: needs COMMAND\[:count\]/],
    [['--unavailable', 'cx22'], /^--unavailable: needs TYPE@LOCATION/],
    [['--unavailable', '@fsn1'], /^--unavailable: /],
    [['--rate-limit', '0'], /^--rate-limit: CAPACITY is a whole number from 1/],
    [['--rate-limit', '10:-1'], /^--rate-limit: REFILL is requests per second/],
    [['--rate-limit', '10:1:1'], /^--rate-limit: needs CAPACITY\[:REFILL\]/],
  ])('refuses %j as invalid_input naming the flag', (argv, says) => {
    const error = refusal(argv);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(says);
    expect(error.hint).toContain('outpost sim --help');
  });
});
