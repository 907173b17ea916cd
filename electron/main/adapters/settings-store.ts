// SettingsStore over electron-store (same file format as `conf`, which browser mode and the CLI use).
// Non-secret preferences only: electron-store's encryptionKey is obfuscation, so tokens never go here.
import Store from 'electron-store';
import type { SettingsStore } from '../../core/ports';

export interface ElectronSettingsOptions {
  /** Directory of the settings file; electron-store defaults to app.getPath('userData'). */
  cwd?: string;
  /** File name without extension. */
  name?: string;
}

export function createElectronSettingsStore(opts: ElectronSettingsOptions = {}): SettingsStore {
  const store = new Store<Record<string, unknown>>({
    name: opts.name ?? 'settings',
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    // Same hardening as core's conf adapter would want: owner-only file.
    configFileMode: 0o600,
  });
  return {
    get<T>(key: string): T | undefined {
      return store.get(key) as T | undefined;
    },
    set(key: string, value: unknown): void {
      // electron-store throws on undefined; "unset" is the meaning callers intend.
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
  };
}
