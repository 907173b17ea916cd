// The data directory is 0700 and every file Outpost writes there 0600 (POSIX): the store and its
// WAL/SHM, settings, the vault and the token-check cache, learned durations, the sandbox state and
// the lock. Run with umask 000, so a writer relying on the umask instead of an explicit mode shows
// up as 0666. Older, looser directories are tightened at start.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRuntime } from '../../../electron/boot/runtime';
import { openDatabase } from '../../../electron/core/db/open';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { fixedPassphrase } from '../../../electron/core/vault';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { directApi } from '../../fixtures/apis';
import { tempDir } from '../../fixtures/temp-dir';

const BIN = fileURLToPath(new URL('../../../bin/outpost.mjs', import.meta.url));
const mode = (path: string) => (lstatSync(path).mode & 0o777).toString(8);

/** Every entry directly in `dir` with its mode, e.g. { 'sandbox.db': '600' }. */
const modes = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, mode(join(dir, name))]));
const allPrivate = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, '600']));

let live: RunningSimulator;
let root: string;
let cleanup: () => void;
let umask: number;
beforeAll(async () => {
  umask = process.umask(0o000);
  live = await startSimulator({ port: 0, timeScale: 0.01 });
  ({ dir: root, cleanup } = tempDir('outpost-modes-'));
});
afterAll(async () => {
  process.umask(umask);
  await live.close();
  cleanup();
});

describe.runIf(process.platform !== 'win32')('data-directory permissions (POSIX)', () => {
  it('a fresh start that stores a token and provisions once: directory 0700, every file 0600, while running and after', { timeout: 120_000 }, async () => {
    const dataDir = join(root, 'fresh', 'Outpost');
    const runtime = await startRuntime({
      dataDir,
      events: new MemoryEventSink(),
      mode: 'sandbox',
      log: silentLogger,
      fleetSyncIntervalMs: 0,
      simTimeScale: 0.01,
      vaultCiphers: { passphrase: fixedPassphrase('a passphrase for the modes test') },
      liveUrls: { hetznerUrl: live.hetznerUrl, tailscaleUrl: live.tailscaleUrl },
    });
    try {
      const api = directApi(runtime.handlers);
      await api.call('settings:update', { operatorName: 'modes test' });
      expect((await api.call('tokens:set', { provider: 'hetzner', token: live.credentials.hetznerToken })).state).toBe('valid');
      const { jobId } = await api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'modes' });
      await vi.waitFor(async () => expect((await api.call('jobs:get', { jobId })).job.status).toBe('succeeded'), { timeout: 90_000, interval: 100 });
      // The simulator's state and the learned durations are written on their own schedule: wait for them.
      await vi.waitFor(() => expect(existsSync(join(dataDir, 'sandbox-sim.json')) && existsSync(join(dataDir, 'action-durations.sandbox.json'))).toBe(true), { timeout: 10_000, interval: 20 });

      expect(mode(dataDir)).toBe('700');
      const running = modes(dataDir);
      for (const name of ['outpost.lock', 'sandbox.db', 'sandbox.db-wal', 'sandbox.db-shm', 'settings.json', 'vault.json', 'tokens-status.json', 'sandbox-sim.json', 'action-durations.sandbox.json']) {
        expect(running, name).toHaveProperty([name]);
      }
      expect(running).toEqual(allPrivate(dataDir));
    } finally {
      await runtime.close();
    }
    expect(mode(dataDir)).toBe('700');
    expect(modes(dataDir)).toEqual(allPrivate(dataDir));
  });

  it('tightens what an older Outpost left readable (0755 directory, 0644 files); leaves subdirectories alone', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'older');
    mkdirSync(dataDir, { mode: 0o755 });
    const db = openDatabase(join(dataDir, 'sandbox.db'));
    db.close();
    writeFileSync(join(dataDir, 'settings.json'), '{"operatorName":"old"}');
    writeFileSync(join(dataDir, 'action-durations.sandbox.json'), '{}');
    writeFileSync(join(dataDir, 'live.db'), '');
    mkdirSync(join(dataDir, 'Cache'), { mode: 0o755 });
    for (const name of ['sandbox.db', 'settings.json', 'action-durations.sandbox.json', 'live.db']) chmodSync(join(dataDir, name), 0o644);
    chmodSync(dataDir, 0o755);

    const runtime = await startRuntime({ dataDir, events: new MemoryEventSink(), mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0, simTimeScale: 0.01, resume: false });
    try {
      expect(mode(dataDir)).toBe('700');
      const found = modes(dataDir);
      expect(found.Cache).toBe('755'); // e.g. Chromium's, in the desktop app's userData: not ours
      delete found.Cache;
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, '600'])));
      expect(found).toHaveProperty(['live.db']);
    } finally {
      await runtime.close();
    }
  });

  it('the outpost command, run with umask 000, provisions once in sandbox and leaves only 0600 files in a 0700 directory', { timeout: 180_000 }, async () => {
    const dataDir = join(root, 'cli', 'Outpost');
    const args = [BIN, '--data-dir', dataDir, '--mode', 'sandbox', 'provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'modes', '--json'];
    const env: NodeJS.ProcessEnv = { ...process.env, OUTPOST_SIM_TIME_SCALE: '0.02', OUTPOST_LOG_LEVEL: 'error' };
    delete env.OUTPOST_PASSPHRASE;
    // `umask 000` in the child's own shell: the parent's umask is not what is being tested.
    const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(mode(dataDir)).toBe('700');
    const found = modes(dataDir);
    // settings.json is not among them: a provision changes no setting, and conf writes only on change.
    for (const name of ['sandbox.db', 'sandbox-sim.json', 'action-durations.sandbox.json']) expect(found, name).toHaveProperty([name]);
    expect(found).toEqual(allPrivate(dataDir));
  });
});
