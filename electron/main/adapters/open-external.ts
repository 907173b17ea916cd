// The only door to shell.openExternal: every URL passes openExternalGuard first, and the guard's
// normalised href (not the caller's string) is what the OS receives.
import { shell as electronShell, type Shell } from 'electron';
import type { Logger } from '../../core/log';
import { openExternalGuard } from '../security';

export type OpenExternal = (url: string) => Promise<boolean>;

export function createOpenExternal(log?: Logger, shell: Pick<Shell, 'openExternal'> = electronShell): OpenExternal {
  return async (url) => {
    const safe = openExternalGuard(url);
    if (safe === null) {
      log?.warn('refused to open a URL outside the allow-list');
      return false;
    }
    try {
      await shell.openExternal(safe);
      return true;
    } catch (err) {
      log?.warn('the OS could not open an external URL', { error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
}
