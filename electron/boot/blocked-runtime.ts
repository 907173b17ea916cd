// The panel's start (desktop app and browser mode): the runtime, or — when live mode was asked for
// and cannot be used — a blocked one. Blocked means nothing runs: no simulator, no store of either
// mode, no cloud client. The panel can still ask why (app:info → liveUnavailable) and save a
// different mode (settings:update) for the next start; every other channel is refused with the
// same reason. Restarting in-process is deliberately not done: a restart is the one path that
// builds a runtime, so there is no second, less tested one.
import { CHANNELS } from '../../shared/contract';
import type { AppInfo, LiveUnavailable } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import { decide } from '../../shared/permissions';
import type { Handlers } from '../core/dispatch';
import type { SettingsStore } from '../core/ports';
import { readRole, readSettings, updateSettings } from '../core/settings';
import { canUseShell, openDataDir, restartApp, runtimeInfo, type DesktopShell } from '../core/services/desktop';
import { confSettings } from './conf-settings';
import { LiveUnavailableError } from './live-unavailable';
import { lockDataDir } from './lock';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime';
import { OUTPOST_VERSION } from './version';

export interface BlockedRuntime {
  mode: 'live';
  dataDir: string;
  handlers: Handlers;
  liveUnavailable: LiveUnavailable;
  close(): Promise<void>;
}

export type PanelRuntime = Runtime | BlockedRuntime;

export const isBlocked = (runtime: PanelRuntime): runtime is BlockedRuntime => 'liveUnavailable' in runtime;

export async function startPanelRuntime(options: RuntimeOptions): Promise<PanelRuntime> {
  try {
    return await startRuntime(options);
  } catch (err) {
    if (!(err instanceof LiveUnavailableError)) throw err;
    options.log?.warn('live mode unavailable: the panel opens blocked', { reason: err.unavailable.reason });
    return blockedRuntime(options.dataDir, options.settings ?? confSettings(options.dataDir), err, options.desktop);
  }
}

/** Holds the data directory's lock like a running Outpost: one Outpost per directory, blocked or not. */
export function blockedRuntime(dataDir: string, settings: SettingsStore, error: LiveUnavailableError, desktop?: DesktopShell): BlockedRuntime {
  const unlock = lockDataDir(dataDir);
  // Answered: they touch neither a cloud nor a store, and are enough to explain the block and to
  // leave it on purpose. Not audited: the audit log lives in a store, and none is open.
  const answered: Partial<Handlers> = {
    'app:info': async (_req, ctx): Promise<AppInfo> => ({
      name: 'Outpost',
      version: OUTPOST_VERSION,
      mode: 'live',
      role: readRole(settings),
      dataDir,
      transport: ctx.transport === 'ipc' ? 'ipc' : 'http',
      notices: [...error.notices],
      simTimeScale: null,
      runtime: runtimeInfo(),
      canOpenDataDir: canUseShell(desktop, ctx),
      canRestart: canUseShell(desktop, ctx),
      liveUnavailable: error.unavailable,
    }),
    // Support's first question about a blocked panel is where its files are.
    'app:openDataDir': async (_req, ctx) => openDataDir(desktop, dataDir, ctx),
    // The way out of a blocked panel once sandbox is saved (permission table: operator only).
    'app:restart': async (_req, ctx) => {
      const decision = decide(readRole(settings), 'app:restart');
      if (!decision.allowed) throw new OutpostError('read_only', decision.reason, { hint: decision.hint });
      return restartApp(desktop, ctx);
    },
    'settings:get': async () => readSettings(settings),
    'settings:update': async (patch) => {
      // The permission table holds here too: the support role may not switch the mode.
      const decision = decide(readRole(settings), 'settings:update', patch);
      if (!decision.allowed) throw new OutpostError('read_only', decision.reason, { hint: decision.hint });
      return updateSettings(settings, patch);
    },
  };
  const refuse = async () => {
    throw error;
  };
  const handlers = Object.fromEntries(CHANNELS.map((c) => [c, answered[c] ?? refuse])) as unknown as Handlers;
  let closed = false;
  return {
    mode: 'live',
    dataDir,
    handlers,
    liveUnavailable: error.unavailable,
    close: async () => {
      if (closed) return;
      closed = true;
      unlock();
    },
  };
}
