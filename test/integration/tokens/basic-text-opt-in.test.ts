// The desktop app on Linux whose only safeStorage backend is basic_text: storing a token is refused
// until the operator allows basic_text in Settings, and allowed from the next save on — no restart —
// through the real composition root (electron/main/index.ts against the Electron stub) and IPC.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { app, BrowserWindow, ipcMain, resetElectronStub, safeStorage } from '../../stubs/electron';
import { tempDir } from '../../fixtures/temp-dir';

const trusted = { senderFrame: { url: 'app://outpost/index.html', parent: null } };
const call = (channel: string, request: unknown) => ipcMain.invoke(channel, trusted, request) as Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string; hint?: string } }>;

let tmp: { dir: string; cleanup: () => void };
let live: RunningSimulator;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  resetElectronStub();
  safeStorage.backend = 'basic_text';
  live = await startSimulator({ port: 0, timeScale: 0.01 });
  // Token checks go to this simulator instead of the real APIs.
  for (const [k, v] of Object.entries({ OUTPOST_HETZNER_URL: live.hetznerUrl, OUTPOST_TAILSCALE_URL: live.tailscaleUrl })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  tmp = tempDir('outpost-basic-text-');
  app.userDataDir = tmp.dir;
  delete process.env['ELECTRON_RENDERER_URL'];
  await import('../../../electron/main/index');
  await vi.waitFor(() => expect(BrowserWindow.created.length).toBe(1), { timeout: 20_000, interval: 10 });
}, 30_000);
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await live.close();
  // Quit as Electron would and wait until the runtime has let go of the data directory (its lock
  // file goes last), so nothing writes into the directory after it is deleted.
  app.emit('will-quit');
  await vi.waitFor(() => expect(existsSync(join(tmp.dir, 'outpost.lock'))).toBe(false), { timeout: 10_000, interval: 10 });
  tmp.cleanup();
});

describe.runIf(process.platform === 'linux')('basic_text opt-in (desktop, Linux)', () => {
  it('is refused while not allowed, saying where to allow it; allowed from Settings without a restart', async () => {
    const token = { provider: 'hetzner', token: live.credentials.hetznerToken };
    const refused = await call('tokens:set', token);
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatchObject({ code: 'locked', message: expect.stringMatching(/only basic_text storage/) });
    expect(refused.error?.hint).toMatch(/Settings → Token storage on this computer/);
    expect(refused.error?.hint).toMatch(/any program running as you can then read the tokens/);

    expect((await call('settings:get', {})).data).toMatchObject({ acceptBasicTextEncryption: false });
    expect((await call('settings:update', { acceptBasicTextEncryption: true })).data).toMatchObject({ acceptBasicTextEncryption: true });

    const stored = await call('tokens:set', token);
    expect(stored).toMatchObject({ ok: true, data: { state: 'valid' } });
    expect(JSON.parse(readFileSync(join(tmp.dir, 'vault.json'), 'utf8'))).toMatchObject({ cipher: 'v1:safe' });

    // Taken back: the stored token can no longer be read (status stays key-free).
    await call('settings:update', { acceptBasicTextEncryption: false });
    const test = await call('tokens:test', { provider: 'hetzner' });
    expect(test).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});
