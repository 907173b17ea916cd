// The composition shared by the Node shells (browser mode, the CLI; the Electron shell uses the same
// pieces with its own adapters): open the store for the mode, start the sandbox simulator when in
// sandbox mode, and build the services.
import { join } from 'node:path';
import type { AppInfo } from '../../shared/domain';
import type { Handlers } from '../core/dispatch';
import { Store } from '../core/db/store';
import { systemClock, type EventSink, type SettingsStore } from '../core/ports';
import { createServices } from '../core/services';
import { confSettings } from './conf-settings';
import { OUTPOST_VERSION } from './version';

export type Mode = AppInfo['mode'];

export interface RuntimeOptions {
  dataDir: string;
  events: EventSink;
  settings?: SettingsStore;
  /** Defaults to the saved setting, else sandbox. */
  mode?: Mode;
}

export interface Runtime {
  mode: Mode;
  dataDir: string;
  store: Store;
  settings: SettingsStore;
  handlers: Handlers;
  close(): Promise<void>;
}

/** Sandbox and live data never mix: each mode has its own database file. */
export const storeFile = (dataDir: string, mode: Mode): string => join(dataDir, `${mode}.db`);

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const settings = options.settings ?? confSettings(options.dataDir);
  const mode: Mode = options.mode ?? (settings.get<Mode>('mode') === 'live' ? 'live' : 'sandbox');
  const store = Store.open(storeFile(options.dataDir, mode));
  const handlers = createServices({
    store,
    settings,
    events: options.events,
    clock: systemClock,
    identity: { version: OUTPOST_VERSION, mode, dataDir: options.dataDir },
  });
  return {
    mode,
    dataDir: options.dataDir,
    store,
    settings,
    handlers,
    close: async () => store.close(),
  };
}
