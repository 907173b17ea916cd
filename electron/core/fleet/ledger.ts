// What fleet sync makes of a server with Outpost's managed label that this store does not know and no
// local job owns (README "One fleet, many desktops"):
// - adopt: its tailnet device is there (exact hostname, our tags, created after the server): some
//   Outpost's job enrolled it, so it is a VM of the fleet;
// - pending: no device yet, but younger than a provision job can live (or the device list did not
//   answer): a job on another desktop may still be working on it. Nothing is done; it is looked at
//   again next sync, and never destroyed;
// - unowned: no device, and older than any provision job lives: whichever desktop's job made it has
//   ended without enrolling it or removing it (a crash, a lost data directory), so no desktop will.
//   Listed for an operator to Adopt or Delete.
import type { UnownedServer } from '../../../shared/domain';
import type { Server } from '../hetzner/types';
import type { PipelineConfig } from '../provisioning/config';
import type { Device } from '../tailscale/types';
import { matchDevice } from './enrollment-watcher';
import { readLedger } from './labels';

/** Clock skew allowed between Hetzner's `created` and Tailscale's. */
export const DEVICE_SKEW_MS = 120_000;

export type Verdict = { kind: 'adopt'; device: Device } | { kind: 'pending' } | { kind: 'unowned' };

/**
 * How long a provision job can live, end to end: running, enrolled, and its compensation's server
 * delete. A server older than this with no device has no job left working on it, on any desktop
 * with the same settings.
 */
export const jobLifetimeMs = (config: Pick<PipelineConfig, 'runningTimeoutMs' | 'enrolledTimeoutMs' | 'compensationTimeoutMs'>): number =>
  config.runningTimeoutMs + config.enrolledTimeoutMs + config.compensationTimeoutMs;

/** The tailnet device of a server (devices already limited to our tags), if it enrolled. */
export function deviceOf(server: Pick<Server, 'name' | 'created'>, devices: readonly Device[], tags: readonly string[]): Device | undefined {
  const notBefore = Date.parse(server.created);
  return matchDevice(devices, { hostname: server.name, tags, ephemeral: true, notBefore: Number.isFinite(notBefore) ? notBefore : 0 }, DEVICE_SKEW_MS);
}

export function classify(
  server: Pick<Server, 'name' | 'created'>,
  devices: readonly Device[] | undefined,
  tags: readonly string[],
  now: number,
  unownedAfterMs: number,
): Verdict {
  if (!devices) return { kind: 'pending' };
  const device = deviceOf(server, devices, tags);
  if (device) return { kind: 'adopt', device };
  const age = now - Date.parse(server.created);
  return Number.isFinite(age) && age >= unownedAfterMs ? { kind: 'unowned' } : { kind: 'pending' };
}

export function unownedOf(server: Server): UnownedServer {
  const ledger = readLedger(server.labels);
  return {
    serverId: server.id,
    name: server.name,
    status: server.status,
    created: server.created,
    region: server.location?.name ?? null,
    serverType: server.server_type?.name ?? null,
    publicIpv4: server.public_net.ipv4?.ip ?? null,
    jobId: ledger.jobId,
    agentName: ledger.agentName,
    paymentReference: ledger.paymentReference,
    originStore: ledger.storeId,
  };
}
