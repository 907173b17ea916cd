import Conf from 'conf';
import type { SettingsStore } from '../core/ports';

/** Settings for the Node shells: `conf`, the base of electron-store, so the file format matches. */
export function confSettings(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'outpost' });
  return {
    get: <T>(key: string) => conf.get(key) as T | undefined,
    set: (key, value) => conf.set(key, value),
  };
}
