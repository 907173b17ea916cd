// What About shows of the process core runs in, and the two things the desktop shell does for it:
// opening the data directory in the file manager, and restarting the app (a mode switch applies at
// start). The shell passes the powers in (Electron's shell.openPath, app.relaunch); browser mode and
// the command have none, so a remote browser can never make the host open folders or restart.
import { arch, release, type as osType } from 'node:os';
import type { AppInfo } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { CallContext } from '../dispatch';

export interface DesktopShell {
  /** Electron's shell.openPath: resolves to '' when opened, else the system's reason. */
  openPath(path: string): Promise<string>;
  /** Quits and starts the app again; the shell closes the runtime on its way out (jobs resume at start). */
  relaunch(): void;
}

export function runtimeInfo(versions: NodeJS.ProcessVersions = process.versions): AppInfo['runtime'] {
  return {
    electron: versions.electron ?? null,
    chromium: versions.chrome ?? null,
    node: versions.node,
    os: `${osType()} ${release()} ${arch()}`,
  };
}

const desktopOnly = (what: string, hint: string) => new OutpostError('unavailable', `Only the desktop app can ${what}.`, { hint });

/** The desktop app's IPC only: over HTTP (browser mode, a team server) the panel is not on this machine's screen. */
export const canUseShell = (desktop: DesktopShell | undefined, ctx: Pick<CallContext, 'transport'>): boolean =>
  desktop !== undefined && ctx.transport === 'ipc';

export async function openDataDir(desktop: DesktopShell | undefined, dataDir: string, ctx: Pick<CallContext, 'transport'>): Promise<{ opened: true }> {
  if (!desktop || !canUseShell(desktop, ctx)) {
    throw desktopOnly('open the data folder', 'Copy the path from About and open it in your file manager.');
  }
  const problem = await desktop.openPath(dataDir);
  if (problem) {
    throw new OutpostError('unavailable', `The data folder could not be opened: ${problem}`, { hint: 'Copy the path from About and open it in your file manager.' });
  }
  return { opened: true };
}

/**
 * Restarts after the answer is on its way: the caller learns the restart was accepted, then the
 * window goes. Browser mode and the command are restarted by whoever started them.
 */
export async function restartApp(desktop: DesktopShell | undefined, ctx: Pick<CallContext, 'transport'>): Promise<{ restarting: true }> {
  if (!desktop || !canUseShell(desktop, ctx)) {
    throw desktopOnly('restart itself', 'Stop `outpost web` (or the command) and start it again.');
  }
  setImmediate(() => desktop.relaunch());
  return { restarting: true };
}
