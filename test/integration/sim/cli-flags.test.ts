// Every flag the README documents for `outpost sim`, run through the real command (bin/outpost.mjs,
// so commander's handling is part of what is tested) and checked by its effect on the running
// simulator through /_sim/. The standalone entry (electron/sim/main.ts) takes the same flags. Three
// processes carry every flag between them (a cold start costs seconds); each flag has its own test.
// The checks on each value's format are unit tests of the one parser (test/unit/sim/flags.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRESS_SHAPE } from '../../../electron/sim/hetzner/progress';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CREDENTIAL_KEYS = ['hetznerReadOnlyToken', 'hetznerToken', 'hetznerUrl', 'tailscaleClientId', 'tailscaleClientSecret', 'tailscaleTags', 'tailscaleUrl'];

interface Started {
  out: Record<string, unknown> & { hetznerUrl: string; tailscaleUrl: string; hetznerToken: string };
  /** The simulator root, where /_sim/ lives. */
  url: string;
}

const children = new Set<ChildProcess>();
/** Every flag some test here has passed to a simulator process. */
const exercised = new Set<string>();

/** The flags README's "Run it" part of the simulator section documents (up to the hcloud CLI part). */
function documentedFlags(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('### Run it', readme.indexOf('<!-- sim:start -->'));
  const end = readme.indexOf('### With the official hcloud CLI', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return [...new Set(readme.slice(start, end).match(/--[a-z][a-z-]*/g))].sort();
}

function spawnSim(args: string[], entry: string[] = ['bin/outpost.mjs', 'sim']): ChildProcess {
  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const arg of args) if (arg.startsWith('--')) exercised.add(arg.split('=')[0]!);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Starts the command and resolves with its one JSON line (or rejects with its stderr if it exits first). */
function startSim(args: string[], entry?: string[]): Promise<Started> {
  const child = spawnSim(['--json', '--port', '0', '--time-scale', '0.01', ...args], entry);
  return new Promise<Started>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      const out = JSON.parse(stdout.slice(0, end)) as Started['out'];
      resolve({ out, url: out.hetznerUrl.replace(/\/hetzner\/v1$/, '') });
    });
    child.once('exit', (code) => reject(new Error(`outpost sim exited ${code} before printing: ${stderr}`)));
  });
}

/** Runs the command to its end (for flags that must be refused). */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSim(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function sim<T>(s: Started, what: string): Promise<T> {
  const res = await fetch(`${s.url}/_sim/${what}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

interface Faults {
  http: { method: string; path: string; status?: number; code?: string; count?: number }[];
  actions: { command: string; count?: number }[];
  enrollment: { hostname: string | null }[];
  shortages: { serverType: string; location: string }[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const temp = tempDir('outpost-sim-flags-');
const stateFile = path.join(temp.dir, 'state.json');
let port: number;
/** Every flag at once, each with a value. */
let full: Started;
/** The defaults and short forms: --no-enroll last with no value, --rate-limit without REFILL, the same seed. */
let short: Started;
/** The standalone entry with the same flags. */
let standalone: Started;

beforeAll(async () => {
  port = await freePort();
  [full, short, standalone] = await Promise.all([
    startSim([
      '--port', String(port),
      '--seed', '42',
      '--time-scale', '0.5',
      '--state-file', stateFile,
      '--fault', 'GET /hetzner/v1/locations 503:unavailable count=2',
      '--fault', 'POST /tailscale/* 500',
      '--fail-action', 'start_server:1',
      '--fail-action', 'delete_server',
      '--no-enroll', 'web-1',
      '--no-enroll',
      '--unavailable', 'cx22@fsn1',
      '--rate-limit', '100:2',
      '--progress', 'stall',
    ]),
    startSim(['--seed', '42', '--rate-limit', '50', '--no-enroll']),
    startSim(['--seed', '9', '--no-enroll', '--rate-limit', '10:0', '--unavailable', 'cx22@nbg1'], ['--import', 'tsx', 'electron/sim/main.ts']),
  ]);
}, 60_000);

afterAll(async () => {
  const exits = [...children].map((c) => new Promise((resolve) => c.once('exit', resolve)));
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(exits);
  temp.cleanup();
});

describe('outpost sim: every documented flag', () => {
  it('runs here: each flag README documents for the simulator is passed to it below', () => {
    const documented = documentedFlags();
    expect(documented.length).toBeGreaterThanOrEqual(10);
    expect(documented.filter((flag) => !exercised.has(flag)), 'documented in README, not run by this test').toEqual([]);
  });

  it('--json prints exactly the URLs and credentials, which work', async () => {
    expect(Object.keys(short.out).sort()).toEqual(CREDENTIAL_KEYS);
    const res = await fetch(`${short.out.tailscaleUrl}/api/v2/oauth/token`, { method: 'POST', body: new URLSearchParams({ client_secret: String(short.out['tailscaleClientSecret']) }) });
    expect(res.status).toBe(200);
  });

  it('--port N listens on N', async () => {
    expect(full.out.hetznerUrl).toBe(`http://127.0.0.1:${port}/hetzner/v1`);
    expect((await sim<{ url: string }>(full, 'info')).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('--time-scale X sets the time scale', async () => {
    expect((await sim<{ timeScale: number }>(full, 'info')).timeScale).toBe(0.5);
    expect((await sim<{ timeScale: number }>(short, 'info')).timeScale).toBe(0.01);
  });

  it('--seed N sets the seed, and the same seed gives the same credentials', async () => {
    expect((await sim<{ seed: number }>(full, 'info')).seed).toBe(42);
    expect(short.out.hetznerToken).toBe(full.out.hetznerToken);
    expect(short.out['tailscaleClientSecret']).toBe(full.out['tailscaleClientSecret']);
  });

  it('--state-file F keeps the world in F', async () => {
    await waitUntil(() => existsSync(stateFile), 'the state file');
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { seed: number; credentials: { hetznerToken: string } };
    expect(saved.seed).toBe(42);
    expect(saved.credentials.hetznerToken).toBe(full.out.hetznerToken);
  });

  it('--fault "METHOD PATH STATUS:code count=N" (repeatable) installs each rule, and requests meet it', async () => {
    expect((await sim<Faults>(full, 'faults')).http).toMatchObject([
      { method: 'GET', path: '/hetzner/v1/locations', status: 503, code: 'unavailable', count: 2 },
      { method: 'POST', path: '/tailscale/*', status: 500 },
    ]);
    const res = await fetch(`${full.out.hetznerUrl}/locations`, { headers: { Authorization: `Bearer ${full.out.hetznerToken}` } });
    expect(res.status).toBe(503);
  });

  it('--fail-action COMMAND[:count] (repeatable) makes that command fail', async () => {
    expect((await sim<Faults>(full, 'faults')).actions).toMatchObject([{ command: 'start_server', count: 1 }, { command: 'delete_server' }]);
  });

  it('--no-enroll HOSTNAME, and --no-enroll with no value before another flag or last, block enrollment', async () => {
    expect((await sim<Faults>(full, 'faults')).enrollment).toMatchObject([{ hostname: 'web-1' }, { hostname: null }]);
    expect((await sim<Faults>(short, 'faults')).enrollment).toMatchObject([{ hostname: null }]);
  });

  it('--unavailable TYPE@LOCATION makes that type unavailable there', async () => {
    expect((await sim<Faults>(full, 'faults')).shortages).toMatchObject([{ serverType: 'cx22', location: 'fsn1' }]);
  });

  it('--rate-limit CAPACITY[:REFILL] sets the Hetzner bucket (REFILL defaults to 1)', async () => {
    expect(await sim(full, 'ratelimit')).toMatchObject({ capacity: 100, refillPerSecond: 2 });
    expect(await sim(short, 'ratelimit')).toMatchObject({ capacity: 50, refillPerSecond: 1 });
  });

  it('--progress SHAPE sets how actions move their progress', async () => {
    expect(await sim(full, 'progress')).toMatchObject({ shape: 'stall' });
    expect(await sim(short, 'progress')).toMatchObject({ shape: DEFAULT_PROGRESS_SHAPE });
  });

  it('electron/sim/main.ts takes the same flags', async () => {
    expect((await sim<{ seed: number }>(standalone, 'info')).seed).toBe(9);
    expect(await sim<Faults>(standalone, 'faults')).toMatchObject({ enrollment: [{ hostname: null }], shortages: [{ serverType: 'cx22', location: 'nbg1' }] });
    expect(await sim(standalone, 'ratelimit')).toMatchObject({ capacity: 10, refillPerSecond: 0 });
  });
});

describe('outpost sim: what commander used to get wrong', () => {
  it('an unknown flag (the old --no-enroll-host) is refused with the flag named, before anything listens', async () => {
    const { code, stdout, stderr } = await runToExit(['--json', '--port', '0', '--no-enroll-host', 'x']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Unknown option '--no-enroll-host'/);
    expect(stderr).toContain('outpost sim --help');
  });

  it('--help prints every documented flag and starts nothing', async () => {
    const { code, stdout } = await runToExit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--no-enroll [HOSTNAME]');
    expect(documentedFlags().filter((flag) => !stdout.includes(flag)), 'documented in README, missing from --help').toEqual([]);
  });
});
