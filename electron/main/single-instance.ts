// One Outpost per user: two main processes would share one SQLite file and one job runner, and
// run every recovered job twice. A second launch focuses the first window instead.
import type { App, BrowserWindow } from 'electron';

/** False when another instance holds the lock; this one has then been asked to quit. */
export function acquireSingleInstance(app: App, getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // argv of the second instance is ignored on purpose: Outpost takes no deep links or file args.
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
