import { beforeEach, describe, expect, it } from 'vitest';
import { BrowserWindow, resetElectronStub } from '../../stubs/electron';
import { createMainWindow, rendererEntryUrl } from '../../../electron/main/window';

const PRELOAD = '/opt/outpost/out/preload/index.cjs';

beforeEach(() => resetElectronStub());

const only = (): BrowserWindow => {
  expect(BrowserWindow.created).toHaveLength(1);
  return BrowserWindow.created[0] as BrowserWindow;
};

describe('createMainWindow', () => {
  it('passes exactly the hardened webPreferences', () => {
    createMainWindow({ preloadPath: PRELOAD, isPackaged: true });
    expect(only().options['webPreferences']).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: false,
      preload: PRELOAD,
    });
  });

  it('keeps devtools in development only', () => {
    createMainWindow({ preloadPath: PRELOAD, isPackaged: false });
    expect((only().options['webPreferences'] as Record<string, unknown>)['devTools']).toBe(true);
  });

  it('starts hidden with a title, size limits and a background, and shows on ready-to-show', () => {
    createMainWindow({ preloadPath: PRELOAD, isPackaged: true });
    const win = only();
    expect(win.options).toMatchObject({ show: false, title: 'Outpost', minWidth: 960, minHeight: 600 });
    expect(win.options['backgroundColor']).toMatch(/^#[0-9a-f]{6}$/i);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('loads app://outpost/index.html when packaged, even with a dev URL in the environment', () => {
    createMainWindow({ preloadPath: PRELOAD, isPackaged: true, devServerUrl: 'http://localhost:5173/' });
    expect(only().loadedUrl).toBe('app://outpost/index.html');
  });

  it('loads the dev server only when unpackaged and on loopback http', () => {
    createMainWindow({ preloadPath: PRELOAD, isPackaged: false, devServerUrl: 'http://localhost:5173/' });
    expect(only().loadedUrl).toBe('http://localhost:5173/');
  });

  it.each(['https://evil.example/', 'http://10.0.0.5:5173/', 'http://user@localhost:5173/', 'file:///tmp/index.html', 'not a url'])(
    'ignores an unsafe dev URL %s',
    (url) => {
      expect(rendererEntryUrl(false, url)).toBe('app://outpost/index.html');
    },
  );
});
