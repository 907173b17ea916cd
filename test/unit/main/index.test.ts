// The composition root, run once against the stub: everything is wired, in the right order, and a
// trusted call travels ipcMain -> dispatch -> the real core services -> envelope.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../shared/contract';
import { RENDERER_READY_CHANNEL } from '../../../shared/channel-names';
import { app, BrowserWindow, ipcMain, protocol, resetElectronStub, session } from '../../stubs/electron';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  resetElectronStub();
  tmp = tempDir('outpost-main-');
  app.userDataDir = tmp.dir;
  delete process.env['ELECTRON_RENDERER_URL'];
  await import('../../../electron/main/index');
  // start() runs asynchronously after the import (whenReady, dynamic imports of core).
  await waitUntil(() => BrowserWindow.created.length > 0, 'the main window', 10_000);
}, 15_000);
afterAll(async () => {
  // Quit as Electron would, and wait until the runtime has let go of the data directory (its lock
  // file is the last thing it removes), so nothing writes into the directory after it is deleted.
  app.emit('will-quit');
  const lock = join(tmp.dir, 'outpost.lock');
  await waitUntil(() => !existsSync(lock), 'the runtime to remove its lock file', 10_000);
  tmp.cleanup();
});

describe('electron/main/index', () => {
  it('registers the scheme, protocol handler, hardening and every IPC channel', () => {
    expect(protocol.privileged).toHaveLength(1);
    expect(protocol.handlers.has('app')).toBe(true);
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(session.defaultSession.permissionCheckHandler).not.toBeNull();
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(app.listenerCount('second-instance')).toBe(1);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(ipcMain.listenerCount(RENDERER_READY_CHANNEL)).toBe(1);
  });

  it('opens one window on app://outpost with the bundled preload', () => {
    const win = BrowserWindow.created[0] as BrowserWindow;
    expect(win.loadedUrl).toBe('app://outpost/index.html');
    expect(String((win.options['webPreferences'] as Record<string, unknown>)['preload'])).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });

  it('answers a trusted call from the real services, and refuses an untrusted one', async () => {
    const trusted = { senderFrame: { url: 'app://outpost/index.html', parent: null } };
    const reply = await ipcMain.invoke('app:info', trusted, {});
    expect(reply).toMatchObject({ ok: true, data: { name: 'Outpost', mode: 'sandbox', transport: 'ipc', dataDir: tmp.dir } });
    const refused = await ipcMain.invoke('app:info', { senderFrame: { url: 'https://evil.com/', parent: null } }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
