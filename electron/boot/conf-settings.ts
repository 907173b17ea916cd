import Conf from 'conf';
import type { SettingsStore } from '../core/ports';
import { PRIVATE_FILE_MODE } from './private-files';

/** Settings for the Node shells: `conf`, the base of electron-store, so the file format matches. */
export function confSettings(dataDir: string): SettingsStore {
  // configFileMode: conf's default is 0666 (less the umask); the settings are the operator's alone.
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'outpost', configFileMode: PRIVATE_FILE_MODE });
  return {
    get: <T>(key: string) => conf.get(key) as T | undefined,
    set: (key, value) => conf.set(key, value),
  };
}
