// The panel's start when live mode was asked for and cannot be used: blocked, not sandbox. Nothing
// of either mode runs; the panel can ask why and save sandbox on purpose; every other channel is
// refused with the same reason; the next start honours the saved choice.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlocked, startPanelRuntime, type PanelRuntime } from '../../../electron/boot/blocked-runtime';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { fixedPassphrase } from '../../../electron/core/vault';
import { CHANNELS } from '../../../shared/contract';
import { directApi } from '../../fixtures/apis';
import { tempDir } from '../../fixtures/temp-dir';

let dir: string;
let cleanup: () => void;
const settings = new MemorySettings();
const start = () =>
  startPanelRuntime({
    dataDir: dir,
    events: new MemoryEventSink(),
    settings,
    log: silentLogger,
    fleetSyncIntervalMs: 0,
    simTimeScale: 0.01,
    vaultCiphers: { passphrase: fixedPassphrase('never used here') },
    // Nothing may be contacted: no credential exists to check.
    liveUrls: { hetznerUrl: 'http://127.0.0.1:9/hetzner/v1', tailscaleUrl: 'http://127.0.0.1:9/tailscale' },
  });

beforeAll(() => {
  ({ dir, cleanup } = tempDir('outpost-blocked-'));
  settings.set('mode', 'live');
});
afterAll(() => cleanup());

describe('a panel whose saved live setting has no credentials', () => {
  let runtime: PanelRuntime;

  it('opens blocked: app:info says why and what to do; no store or simulator of either mode exists', async () => {
    runtime = await start();
    expect(isBlocked(runtime)).toBe(true);
    const info = await directApi(runtime.handlers).call('app:info', {});
    expect(info.mode).toBe('live');
    expect(info.liveUnavailable).toEqual({
      reason: 'neither the Hetzner token nor the Tailscale OAuth client is stored.',
      hint: 'Store them in Settings → Tokens, or set the OUTPOST_* credential variables (see the README).',
      requestedBy: 'setting',
    });
    const files = readdirSync(dir);
    for (const f of ['sandbox.db', 'sandbox-sim.json', 'live.db']) expect(files).not.toContain(f);
  });

  it('refuses every channel but app:info and settings, with the reason', async () => {
    const api = directApi(runtime.handlers);
    const open = new Set(['app:info', 'app:openDataDir', 'app:restart', 'settings:get', 'settings:update']);
    for (const channel of CHANNELS.filter((c) => !open.has(c))) {
      const handler = runtime.handlers[channel] as (req: unknown, ctx: unknown) => Promise<unknown>;
      await expect(handler({}, { transport: 'http' }), channel).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('Live mode is unavailable: neither the Hetzner token') });
    }
    await expect(api.call('instances:list', {})).rejects.toMatchObject({ message: expect.stringContaining('Live mode is unavailable') });
    expect(readdirSync(dir)).not.toContain('sandbox.db');
  });

  it('holds the data directory like a running Outpost (another process would be refused)', () => {
    expect(readFileSync(join(dir, 'outpost.lock'), 'utf8')).toBe(String(process.pid));
  });

  it('keeps the permission table: the support role cannot switch the mode', async () => {
    settings.set('role', 'support');
    try {
      await expect(directApi(runtime.handlers).call('settings:update', { mode: 'sandbox' })).rejects.toMatchObject({ code: 'read_only' });
      expect(settings.get('mode')).toBe('live');
    } finally {
      settings.set('role', 'operator');
    }
  });

  it('saves sandbox on purpose; the next start opens in sandbox', async () => {
    const saved = await directApi(runtime.handlers).call('settings:update', { mode: 'sandbox' });
    expect(saved.mode).toBe('sandbox');
    expect(readdirSync(dir)).not.toContain('sandbox.db'); // not before a restart
    await runtime.close();
    expect(existsSync(join(dir, 'outpost.lock'))).toBe(false);
    runtime = await start();
    try {
      expect(isBlocked(runtime)).toBe(false);
      const info = await directApi(runtime.handlers).call('app:info', {});
      expect(info).toMatchObject({ mode: 'sandbox', liveUnavailable: null, simTimeScale: 0.01 }); // the panel shows durations in simulated time
    } finally {
      await runtime.close();
    }
  });
});
