import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Outpost keeps its store, settings and vault when no --data-dir is given: the same folder
 * Electron's `app.getPath('userData')` uses on Linux, so the desktop app and the CLI share it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OUTPOST_DATA_DIR) return resolve(env.OUTPOST_DATA_DIR);
  const config = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config');
  return join(config, 'Outpost');
}
