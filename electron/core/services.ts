// createServices: one implementation of every channel in shared/contract.ts, used unchanged by
// the Electron shell (IPC), browser mode (HTTP + SSE) and the `outpost` command.
import type { AppInfo } from '../../shared/domain';
import type { Handlers } from './dispatch';
import type { Store } from './db/store';
import type { Clock, EventSink, SettingsStore } from './ports';
import { listRegions, type AppIdentity } from './services/app';
import { readRole } from './settings';

export interface ServicesDeps {
  store: Store;
  settings: SettingsStore;
  events: EventSink;
  clock: Clock;
  identity: Omit<AppIdentity, 'transport'>;
}

export function createServices(deps: ServicesDeps): Handlers {
  const { store, settings, identity } = deps;
  return {
    'app:info': async (_req, ctx): Promise<AppInfo> => ({
      name: 'Outpost',
      version: identity.version,
      mode: identity.mode,
      role: readRole(settings),
      dataDir: identity.dataDir,
      transport: ctx.transport === 'ipc' ? 'ipc' : 'http',
    }),
    'regions:list': async () => listRegions(store),
    'instances:list': async (query) => store.instances.list(query),
  };
}
