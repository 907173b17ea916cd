import type { AppIdentity } from './app';
import type { Clouds } from '../clouds';
import type { Store } from '../db/store';
import type { FleetSync } from '../fleet/fleet-sync';
import type { Logger } from '../log';
import type { Clock, EventSink, SettingsStore } from '../ports';
import type { PipelineContext } from '../provisioning/context';
import type { JobRunner } from '../provisioning/runner';
import type { TeamConnection } from '../team-client';
import type { TokenService } from '../tokens';
import type { DesktopShell } from './desktop';

/** Everything the services need, built once by the shell's composition root. */
export interface ServicesDeps {
  store: Store;
  settings: SettingsStore;
  events: EventSink;
  clock: Clock;
  log: Logger;
  identity: Omit<AppIdentity, 'transport'>;
  clouds: Clouds;
  pipeline: PipelineContext;
  runner: JobRunner;
  fleetSync: FleetSync;
  tokens: TokenService;
  /** The desktop app's shell powers; absent in browser mode and the command. */
  desktop?: DesktopShell;
  /** The desktop's link to a team server (team:*); absent in browser mode, the command and the server. */
  team?: TeamConnection;
}
