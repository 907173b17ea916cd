// Updates through electron-updater from a generic provider (a plain HTTPS folder holding the
// installers and the latest*.yml electron-builder writes next to them). Off until a URL is set in
// OUTPOST_UPDATE_URL, and only in the packaged app. electron-updater checks what it downloads: the
// sha512 in latest*.yml always, and on Windows and macOS the code signature too (README:
// "Packaging and diagnostics" → signed releases), so the URL must be HTTPS.
import { OutpostError } from '../../shared/errors';
import type { Logger } from '../core/log';

export const UPDATE_URL_ENV = 'OUTPOST_UPDATE_URL';

/** The part of electron-updater's AppUpdater this uses. */
export interface Updater {
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  autoDownload: boolean;
  logger: unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export type UpdateState = { enabled: false; reason: string } | { enabled: true; url: string };

/** Reads the feed URL: none means off; anything but an https:// URL is refused, naming the variable. */
export function updateFeed(env: NodeJS.ProcessEnv): string | null {
  const raw = env[UPDATE_URL_ENV]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutpostError('invalid_input', `${UPDATE_URL_ENV} is not a URL.`, { hint: 'Set it to the https:// folder that holds the installers and latest.yml, or unset it to turn updates off.' });
  }
  if (url.protocol !== 'https:' || url.username || url.password) {
    throw new OutpostError('invalid_input', `${UPDATE_URL_ENV} must be an https:// URL without credentials.`, { hint: 'Updates are downloaded only over HTTPS; unset it to turn updates off.' });
  }
  return url.toString();
}

/** Starts checking for updates when the app is packaged and a URL is set; says why not otherwise. */
export async function startUpdates(options: { env: NodeJS.ProcessEnv; isPackaged: boolean; load: () => Promise<Updater>; log: Logger }): Promise<UpdateState> {
  if (!options.isPackaged) return { enabled: false, reason: 'not packaged' };
  let url: string | null;
  try {
    url = updateFeed(options.env);
  } catch (err) {
    options.log.warn('updates are off: the update URL is refused', { error: err });
    return { enabled: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (!url) return { enabled: false, reason: `${UPDATE_URL_ENV} is not set` };
  const updater = await options.load();
  updater.logger = { info: (m: unknown) => options.log.info(String(m)), warn: (m: unknown) => options.log.warn(String(m)), error: (m: unknown) => options.log.error(String(m)), debug: (m: unknown) => options.log.debug(String(m)) };
  updater.autoDownload = true;
  updater.setFeedURL({ provider: 'generic', url });
  // A failed check (offline, feed missing) is logged and tried again at the next start.
  updater.checkForUpdatesAndNotify().catch((err: unknown) => options.log.warn('update check failed', { error: err }));
  return { enabled: true, url };
}
