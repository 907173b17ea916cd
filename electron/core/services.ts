// createServices: one implementation of every channel in shared/contract.ts, used unchanged by
// the Electron shell (IPC), browser mode (HTTP + SSE) and the `outpost` command.
import type { AppInfo } from '../../shared/domain';
import type { Handlers } from './dispatch';
import { listRegions, readCatalog } from './services/app';
import type { ServicesDeps } from './services/deps';
import { canUseShell, openDataDir, restartApp, runtimeInfo } from './services/desktop';
import { fleetServices } from './services/fleet';
import { guardMutations } from './services/guard';
import { paymentServices } from './services/payments';
import { provisioningServices } from './services/provisioning';
import { teamServices } from './services/team';
import { tokenServices } from './services/tokens';
import { readRole, readSettings, updateSettings } from './settings';

export type { ServicesDeps } from './services/deps';

export function createServices(deps: ServicesDeps): Handlers {
  const { store, settings, identity } = deps;
  const handlers: Handlers = {
    'app:info': async (_req, ctx): Promise<AppInfo> => ({
      name: 'Outpost',
      version: identity.version,
      mode: identity.mode,
      role: readRole(settings),
      dataDir: identity.dataDir,
      transport: ctx.transport === 'ipc' ? 'ipc' : 'http',
      notices: [...identity.notices, ...deps.tokens.status().vault.notices],
      simTimeScale: identity.simTimeScale ?? null,
      runtime: runtimeInfo(),
      canOpenDataDir: canUseShell(deps.desktop, ctx),
      canRestart: canUseShell(deps.desktop, ctx),
      liveUnavailable: null, // a running runtime is usable; the blocked one answers app:info itself (electron/boot/blocked-runtime.ts)
    }),
    'app:openDataDir': async (_req, ctx) => openDataDir(deps.desktop, identity.dataDir, ctx),
    'app:restart': async (_req, ctx) => restartApp(deps.desktop, ctx),
    'regions:list': async (req) => listRegions(store, req.serverType),
    'catalog:get': async () => readCatalog(store),
    'instances:list': async (query) => store.instances.list(query),
    'instances:page': async (query) => store.instances.page(query),
    ...provisioningServices(deps),
    ...paymentServices(deps),
    ...fleetServices(deps),
    'audit:list': async (query) => store.audit.list(query),
    'settings:get': async () => readSettings(settings),
    'settings:update': async (patch) => updateSettings(settings, patch),
    ...tokenServices(deps.tokens, settings),
    ...teamServices(deps.team),
  };
  return guardMutations(handlers, deps);
}
