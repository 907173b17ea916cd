// The composition shared by the shells (browser mode, the CLI, the Electron main process): open
// the store for the mode, reach the clouds (the in-process simulators in sandbox mode), build the
// pipeline and the services, and resume every job a previous run left unfinished.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import { refreshCatalog } from '../core/catalog';
import { CoalescingSink } from '../core/coalesce-events';
import { NotifyingSink, relayOtherProcesses } from '../core/event-relay';
import { createClouds, type CloudEndpoints, type CloudTuning, type Clouds } from '../core/clouds';
import type { Handlers } from '../core/dispatch';
import type { StoreLocation } from '../core/db/engine';
import type { Listening } from '../core/db/notify';
import { Store } from '../core/db/store';
import { FleetSync, type FleetSyncReport } from '../core/fleet/fleet-sync';
import { jobLifetimeMs } from '../core/fleet/ledger';
import { createLogger, type Logger } from '../core/log';
import { systemClock, type Clock, type EventSink, type SettingsStore } from '../core/ports';
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from '../core/provisioning/config';
import type { PipelineContext } from '../core/provisioning/context';
import { Journal } from '../core/provisioning/journal';
import { Leases, leaseMsFromEnv } from '../core/provisioning/lease';
import { JobRunner } from '../core/provisioning/runner';
import { createServices } from '../core/services';
import { routeToTeam, TeamConnection, type TeamConnectionOptions } from '../core/team-client';
import type { RunningSimulator } from '../sim';
import { endpointsFromEnv, startSandbox } from './clouds-for-mode';
import { liveUrls, nodeVaultCiphers, openTokens, type LiveUrls } from './credentials';
import { chooseMode, readEnvCredentials, resolveLive } from './live-access';
import { LiveUnavailableError } from './live-unavailable';
import type { VaultCiphers } from '../core/vault';
import type { DesktopShell } from '../core/services/desktop';
import { confSettings } from './conf-settings';
import { lockDataDir } from './lock';
import { OUTPOST_VERSION } from './version';

export type Mode = AppInfo['mode'];

export interface RuntimeOptions {
  dataDir: string;
  events: EventSink;
  settings?: SettingsStore;
  /**
   * Default: the saved setting; else live when credentials are in the environment; else sandbox.
   * Live that cannot be used (locked vault, wrong passphrase, missing or rejected credentials)
   * throws LiveUnavailableError: nothing is started, no store is opened.
   */
  mode?: Mode;
  log?: Logger;
  clock?: Clock;
  /** Live endpoints, used as given (not checked); default: the environment (OUTPOST_*), else the vault, both checked. */
  endpoints?: CloudEndpoints;
  /** Sandbox simulator speed (1 = realistic). Default: OUTPOST_SIM_TIME_SCALE or 1. */
  simTimeScale?: number;
  pipeline?: Partial<PipelineConfig>;
  tuning?: CloudTuning;
  /** Reconcile the fleet this often (0 = never). Default 60 s. */
  fleetSyncIntervalMs?: number;
  /** A managed server with no device older than this is unowned. Default: a provision job's lifetime under the pipeline config. */
  unownedAfterMs?: number;
  /** Resume unfinished jobs at start. Default true. */
  resume?: boolean;
  /** How the vault encrypts: safeStorage in Electron; a passphrase (env or terminal) in Node. */
  vaultCiphers?: VaultCiphers;
  /** Where live mode's APIs are (default: the real ones, or OUTPOST_HETZNER_URL / OUTPOST_TAILSCALE_URL). */
  liveUrls?: LiveUrls;
  /** The desktop app's shell powers (About → Open data folder); absent in browser mode and the command. */
  desktop?: DesktopShell;
  /**
   * Where the store is (e.g. a team's PostgreSQL database), used as given whatever the mode. Default:
   * the mode's SQLite file in the data directory (storeFile).
   */
  storeLocation?: StoreLocation;
  /**
   * The desktop app may be a team server's client (Settings → Team server; core/team-client): with a
   * server saved, every shared channel goes there. Absent (browser mode, the command, `outpost serve`):
   * team:* are unavailable and everything is local. Tests pass their fetch and stream pauses.
   */
  teamClient?: true | Pick<TeamConnectionOptions, 'fetch' | 'timeoutMs' | 'stream'>;
}

export interface Runtime {
  mode: Mode;
  dataDir: string;
  store: Store;
  settings: SettingsStore;
  handlers: Handlers;
  clouds: Clouds;
  runner: JobRunner;
  sim: RunningSimulator | null;
  log: Logger;
  /** Jobs resumed at start. */
  resumed: string[];
  close(): Promise<void>;
}

/**
 * How long actions take, learned by the action watcher, survives a restart: the first create after
 * a start is then polled as sparingly as the hundredth. Per mode (the sandbox's times are its own).
 */
function keepLearnedDurations(clouds: Clouds, file: string): () => void {
  try {
    clouds.actions.history.restore(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // First run, or unreadable: start cold.
  }
  return clouds.actions.history.onChange((json) => writeFileSync(file, JSON.stringify(json), { mode: 0o600 })); // data-dir files are owner-only
}

/** Sandbox and live data never mix: each mode has its own database file. */
export const storeFile = (dataDir: string, mode: Mode): string => join(dataDir, `${mode}.db`);

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const unlock = lockDataDir(options.dataDir);
  try {
    return await compose(options, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function compose(options: RuntimeOptions, unlock: () => void): Promise<Runtime> {
  const envLeaseMs = leaseMsFromEnv(); // a bad value is refused before anything is opened
  const settings = options.settings ?? confSettings(options.dataDir);
  const log = options.log ?? createLogger({ name: 'outpost', level: (process.env.OUTPOST_LOG_LEVEL as never) ?? 'info', file: { dir: options.dataDir } });
  const clock = options.clock ?? systemClock;
  const urls = options.liveUrls ?? liveUrls();
  const tokens = await openTokens(options.dataDir, options.vaultCiphers ?? nodeVaultCiphers(), log, urls);
  const env = options.endpoints ? { endpoints: options.endpoints, error: null } : readEnvCredentials(() => endpointsFromEnv());
  const choice = chooseMode(options.mode, settings, env);
  const mode = choice.mode;
  const notices: string[] = [];

  let live: CloudEndpoints | null = null;
  if (choice.mode === 'live') {
    if (options.endpoints) live = options.endpoints; // the caller's own (tests, bench): used as given
    else {
      // Throws LiveUnavailableError before anything is opened or started: fail closed.
      const access = await resolveLive({ requestedBy: choice.requestedBy, env, tokens, settings, urls, log }).catch((err: unknown) => {
        if (err instanceof LiveUnavailableError) err.notices.push(...tokens.status().vault.notices);
        throw err;
      });
      live = access.endpoints;
      notices.push(...access.notices);
    }
  }
  let sim: RunningSimulator | null = null;
  let simTimeScale: number | null = null;
  let endpoints: CloudEndpoints;
  if (live) endpoints = live;
  else {
    const timeScale = options.simTimeScale ?? (Number(process.env.OUTPOST_SIM_TIME_SCALE) || 1);
    ({ sim, endpoints } = await startSandbox({ dataDir: options.dataDir, timeScale }));
    simTimeScale = timeScale;
  }

  let store: Store;
  try {
    store = await Store.open(options.storeLocation ?? storeFile(options.dataDir, mode));
  } catch (err) {
    await sim?.close(); // e.g. a store from a newer Outpost: nothing may stay listening
    throw err;
  }
  const clouds = createClouds(endpoints, { clock, logger: log, tuning: options.tuning });
  const stopSavingDurations = keepLearnedDurations(clouds, join(options.dataDir, `action-durations.${mode}.json`));
  const config: PipelineConfig = {
    ...DEFAULT_PIPELINE_CONFIG,
    leaseMs: envLeaseMs ?? DEFAULT_PIPELINE_CONFIG.leaseMs,
    ...options.pipeline,
    locationFallback: settings.get<boolean>('locationFallback') ?? options.pipeline?.locationFallback ?? true,
  };
  // A PostgreSQL store may be shared by several server processes: each runs only the jobs it holds a
  // lease on, and tells the others what changed (NOTIFY). A SQLite store has one process (the data
  // directory's lock), which takes over every job at start.
  const leases = new Leases(store, { leaseMs: config.leaseMs, exclusive: store.engine === 'sqlite' });
  store.leaseNewJobs(leases.newJobLease);
  const sharedUrl = options.storeLocation?.engine === 'postgres' ? options.storeLocation.url : null;
  const notifying = sharedUrl ? new NotifyingSink(options.events, store, leases.owner, log) : null;
  const events = new CoalescingSink(notifying ?? options.events);
  const journal = new Journal(store, events, clock, leases);
  const pipeline: PipelineContext = {
    store,
    clouds,
    journal,
    leases,
    config,
    log,
    sshKeys: () => settings.get<string[]>('sshKeys') ?? [],
    labelCustomerNames: () => settings.get<boolean>('labelCustomerNames') === true,
    secrets: new Map(),
  };
  const runner = new JobRunner(pipeline);
  const fleetSync = new FleetSync({
    store,
    servers: clouds.hetzner.servers,
    devices: clouds.tailscale.devices,
    tags: clouds.tags,
    clock,
    logger: log,
    unownedAfterMs: options.unownedAfterMs ?? jobLifetimeMs(pipeline.config),
  });
  // The team link is built before the services (team:* answer from it) and started after: its events
  // go to the shell's sink, next to this runtime's own.
  const team = options.teamClient
    ? new TeamConnection({ settings, token: tokens.teamToken, events: options.events, log, ...(options.teamClient === true ? {} : options.teamClient) })
    : null;
  const local = createServices({
    store,
    settings,
    events,
    clock,
    log,
    identity: { version: OUTPOST_VERSION, mode, dataDir: options.dataDir, notices, simTimeScale },
    clouds,
    pipeline,
    runner,
    fleetSync,
    tokens,
    ...(options.desktop ? { desktop: options.desktop } : {}),
    ...(team ? { team } : {}),
  });
  // Solo mode (no server saved) answers every channel from `local`, exactly as without a team link.
  const handlers = team ? routeToTeam(local, team) : local;

  let resumed: string[];
  let relay: Listening | null = null;
  try {
    // The other processes' job and instance changes reach this one's browsers (and its runner: a
    // cancel asked through another process).
    relay = sharedUrl
      ? relayOtherProcesses({
          url: sharedUrl,
          store,
          origin: leases.owner,
          local: options.events,
          log,
          onJobChanged: (jobId) =>
            void runner.checkCancel(jobId).catch((err: unknown) => log.warn('job runner: could not check for a cancel', { jobId, error: err instanceof Error ? err.message : String(err) })),
        })
      : null;
    await relay?.ready;
    resumed = options.resume === false ? [] : await runner.resumeAll();
    await team?.start();
  } catch (err) {
    // The store could not be read (a lost PostgreSQL connection, a damaged file): nothing may stay open or listening.
    stopSavingDurations();
    team?.close();
    await runner.close();
    await relay?.close();
    await store.close();
    await sim?.close();
    throw err;
  }
  void refreshCatalog(store, clouds.hetzner).catch((err: unknown) =>
    log.warn('catalog refresh failed', { code: err instanceof OutpostError ? err.code : 'internal', message: err instanceof Error ? err.message : String(err) }),
  );
  const syncEvery = options.fleetSyncIntervalMs ?? 60_000;
  const publishUpdated = async (report: FleetSyncReport) => {
    for (const id of report.updated) await journal.publishInstance(id);
  };
  if (syncEvery > 0) {
    fleetSync.start(syncEvery, (report) =>
      void publishUpdated(report).catch((err: unknown) => log.warn('fleet sync: could not publish the changed rows', { message: err instanceof Error ? err.message : String(err) })),
    );
  }

  return {
    mode,
    dataDir: options.dataDir,
    store,
    settings,
    handlers,
    clouds,
    runner,
    sim,
    log,
    resumed,
    close: async () => {
      stopSavingDurations();
      team?.close();
      fleetSync.stop();
      await runner.close();
      events.flush();
      await notifying?.drain();
      await relay?.close();
      await store.close();
      await sim?.close();
      unlock();
    },
  };
}
