// Composition root of the Electron shell: lock -> scheme -> ready -> harden -> protocol -> services
// -> IPC -> window. Every piece lives in its own module; this file only wires them in order.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, Menu, protocol, session, shell, type BrowserWindow } from 'electron';
import type { Handlers } from '../core/dispatch';
import { createLogger } from '../core/log';
import type { EventSink } from '../core/ports';
import { createOpenExternal } from './adapters/open-external';
import { withJobNotifications } from './adapters/notifier';
import { createSafeStorageCipher } from './adapters/safe-storage-cipher';
import { createElectronSettingsStore } from './adapters/settings-store';
import { EventBridge } from './event-bridge';
import { registerIpc } from './ipc';
import { createSenderCheck, devServerOrigin } from './origin';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { hardenSession, installWebContentsHardening } from './security';
import { acquireSingleInstance } from './single-instance';
import { createMainWindow } from './window';
import { applicationMenuTemplate } from './help-menu';
import { startUpdates } from './updates';

// Built layout: out/main/index.js, out/preload/index.cjs, out/renderer/.
const outDir = fileURLToPath(new URL('..', import.meta.url));
// userData is known before `ready`; its outpost.log files are what `Export diagnostics` collects.
const log = createLogger({ name: 'main', file: { dir: app.getPath('userData') } });
let mainWindow: BrowserWindow | null = null;

/**
 * The same composition as browser mode and the CLI (electron/boot), with the Electron adapters.
 * Dynamic import keeps SQLite and the clouds out of the way until the lock is held and the app is ready.
 */
async function buildServices(events: EventSink): Promise<Handlers> {
  const { startPanelRuntime } = await import('../boot/blocked-runtime');
  const dataDir = app.getPath('userData');
  const settings = createElectronSettingsStore({ cwd: dataDir });
  // The OS keychain encrypts the vault; on Linux's basic_text fallback only if the operator said so
  // (Settings → Token storage), read at each use so that the choice applies without a restart.
  const safe = createSafeStorageCipher({ acceptBasicText: () => settings.get<boolean>('acceptBasicTextEncryption') === true });
  // Live mode that cannot be used opens the window blocked (the reason, and a way to switch to
  // sandbox on purpose) rather than running in the simulated clouds or not opening at all.
  const desktop = {
    openPath: (path: string) => shell.openPath(path),
    // relaunch() starts the new instance once this one has exited (and let go of the data directory).
    relaunch: () => {
      app.relaunch();
      app.quit();
    },
  };
  // teamClient: Settings → Team server may send every shared call to a team server (core/team-client).
  const runtime = await startPanelRuntime({ dataDir, events, settings, log, vaultCiphers: { safe }, desktop, teamClient: true });
  app.on('will-quit', () => void runtime.close());
  return runtime.handlers;
}

async function start(): Promise<void> {
  await app.whenReady();
  const rendererUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const devOrigin = devServerOrigin(rendererUrl, app.isPackaged);
  const openExternal = createOpenExternal(log);

  hardenSession(session.defaultSession);
  installWebContentsHardening(app, { devOrigin, openExternal, log });
  handleAppProtocol(protocol, join(outDir, 'renderer'));

  const bridge = new EventBridge({ log });
  const events = withJobNotifications(bridge, { isWindowFocused: () => mainWindow?.isFocused() ?? false });
  const handlers = await buildServices(events);
  registerIpc(ipcMain, handlers, createSenderCheck(devOrigin), log, bridge);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate({
        dataDir: app.getPath('userData'),
        appVersion: app.getVersion(),
        askWhereToSave: async (name) => {
          const answer = await dialog.showSaveDialog({ defaultPath: join(app.getPath('home'), name), filters: [{ name: 'Zip archive', extensions: ['zip'] }] });
          return answer.canceled ? undefined : answer.filePath;
        },
        // Loaded on use, like the runtime: it brings the SQLite driver, which stays out of the start-up bundle.
        exportDiagnostics: async (out, options) => (await import('../core/diagnostics')).exportDiagnostics(out, options),
        showItemInFolder: (file) => shell.showItemInFolder(file),
        openPath: (path) => shell.openPath(path),
        showError: (title, message) => dialog.showErrorBox(title, message),
        log,
      }),
    ),
  );

  const openWindow = (): void => {
    const win = createMainWindow({
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      isPackaged: app.isPackaged,
      devServerUrl: rendererUrl ?? null,
      onLoadFailed: (error) => log.error('the UI failed to load', { error: String(error) }),
    });
    bridge.attach(win.webContents);
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };
  openWindow();
  // electron-updater is loaded only when updates are on (packaged, OUTPOST_UPDATE_URL set).
  void startUpdates({ env: process.env, isPackaged: app.isPackaged, load: async () => (await import('electron-updater')).default.autoUpdater as never, log });
  app.on('activate', () => {
    if (mainWindow === null) openWindow();
  });
}

// Scheme privileges must be registered before 'ready', and only by the instance that stays.
if (acquireSingleInstance(app, () => mainWindow)) {
  registerAppScheme();
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((error: unknown) => {
    log.error('Outpost failed to start', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    app.quit();
  });
}
