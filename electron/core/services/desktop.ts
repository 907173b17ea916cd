// What About shows of the process core runs in, and the one thing the desktop shell does for it:
// opening the data directory in the file manager. The shell passes the power in (Electron's
// shell.openPath); browser mode and the command have none, so a remote browser can never make the
// host open folders.
import { arch, release, type as osType } from 'node:os';
import type { AppInfo } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { CallContext } from '../dispatch';

export interface DesktopShell {
  /** Electron's shell.openPath: resolves to '' when opened, else the system's reason. */
  openPath(path: string): Promise<string>;
}

export function runtimeInfo(versions: NodeJS.ProcessVersions = process.versions): AppInfo['runtime'] {
  return {
    electron: versions.electron ?? null,
    chromium: versions.chrome ?? null,
    node: versions.node,
    os: `${osType()} ${release()} ${arch()}`,
  };
}

/** The desktop app's IPC only: over HTTP (browser mode, a team server) the panel is not on this machine's screen. */
export const canOpenDataDir = (desktop: DesktopShell | undefined, ctx: Pick<CallContext, 'transport'>): boolean =>
  desktop !== undefined && ctx.transport === 'ipc';

export async function openDataDir(desktop: DesktopShell | undefined, dataDir: string, ctx: Pick<CallContext, 'transport'>): Promise<{ opened: true }> {
  if (!desktop || !canOpenDataDir(desktop, ctx)) {
    throw new OutpostError('unavailable', 'Only the desktop app can open the data folder.', {
      hint: 'Copy the path from About and open it in your file manager.',
    });
  }
  const problem = await desktop.openPath(dataDir);
  if (problem) {
    throw new OutpostError('unavailable', `The data folder could not be opened: ${problem}`, { hint: 'Copy the path from About and open it in your file manager.' });
  }
  return { opened: true };
}
