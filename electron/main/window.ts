// The one window. Its webPreferences are written out literally, every security-relevant key, so a
// reviewer (and Electronegativity) sees them at the call site and a test pins the exact object.
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL, devServerOrigin } from './origin';

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
  isPackaged: boolean;
  /** electron-vite's dev server origin; honoured only when not packaged (see devServerOrigin). */
  devServerUrl?: string | null;
  onLoadFailed?: (error: unknown) => void;
}

/** Where the window starts: the dev server in development, app://outpost otherwise. */
export function rendererEntryUrl(isPackaged: boolean, devServerUrl: string | null | undefined): string {
  // A packaged app, or a dev URL that is not http on loopback, always gets the bundled UI.
  return devServerUrl && devServerOrigin(devServerUrl, isPackaged) !== null ? devServerUrl : APP_ENTRY_URL;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Outpost',
    backgroundColor: '#0f1115',
    // Shown on ready-to-show, so the operator never sees an unstyled flash.
    show: false,
    webPreferences: {
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
      devTools: !opts.isPackaged,
      preload: opts.preloadPath,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.loadURL(rendererEntryUrl(opts.isPackaged, opts.devServerUrl)).catch((error: unknown) => opts.onLoadFailed?.(error));
  return win;
}
