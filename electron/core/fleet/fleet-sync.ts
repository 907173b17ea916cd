// FleetSync: periodic reconciliation of the cloud against the store (DESIGN §4). Two list calls per
// run (servers labelled outpost.managed=true, at sync priority; devices with our tags), then:
// - IPs of every live instance from its server; drift when a running instance's server is gone;
// - tailnet state of running instances: online / offline / last seen, or gone;
// - orphans: servers labelled by Outpost that no instance or active job owns (reported, not touched).
// Instance.status is the pipeline's (a job's outcome), so sync reports the cloud status instead.
import type { InstancePatch } from '../db/repos/instances';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import type { Server, ServerStatus } from '../hetzner/types';
import type { Device } from '../tailscale/types';
import { tailnetIpv4 } from '../tailscale/devices';
import { FleetRepo, type FleetRow } from '../db/repos/fleet';

export const MANAGED_SELECTOR = 'outpost.managed=true';

export interface ServerLister {
  list(query: { labelSelector?: string }, options?: { priority?: 'sync'; signal?: AbortSignal }): Promise<Server[]>;
}
export interface DeviceLister {
  list(options: { tags?: string[]; signal?: AbortSignal }): Promise<Device[]>;
}

export interface Orphan {
  serverId: number;
  name: string;
  status: ServerStatus;
  created: string;
  labels: Record<string, string>;
}

export interface FleetSyncReport {
  at: string;
  /** Instance ids whose row changed (IPs, drift, enrollment, node, tailnet IP). */
  updated: string[];
  /** Instance ids newly or still in drift (store says running, cloud has no server). */
  drifted: string[];
  orphans: Orphan[];
  /** Hetzner's status of every live instance's server, by instance id. */
  serverStatus: Record<string, ServerStatus>;
  /** 'skipped' without a Tailscale client; 'failed' when the device list failed (servers still synced). */
  devices: 'ok' | 'skipped' | 'failed';
}

export interface FleetSyncOptions {
  db: Database;
  servers: ServerLister;
  devices?: DeviceLister;
  /** The tags our VMs carry (the OAuth client's tags). */
  tags: string[];
  clock?: Clock;
  logger?: Logger;
}


export class FleetSync {
  private readonly store: FleetRepo;
  private readonly clock: Clock;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<FleetSyncReport> | undefined;

  constructor(private readonly options: FleetSyncOptions) {
    this.store = new FleetRepo(options.db);
    this.clock = options.clock ?? systemClock;
  }

  /** One reconciliation; concurrent calls share it. */
  sync(options: { signal?: AbortSignal } = {}): Promise<FleetSyncReport> {
    this.running ??= this.run(options.signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs sync every intervalMs; errors go to the logger, reports to onReport. */
  start(intervalMs: number, onReport?: (r: FleetSyncReport) => void): void {
    this.stop();
    this.timer = setInterval(() => {
      this.sync().then(onReport, (err: unknown) => this.options.logger?.warn('fleet sync failed', { code: (err as { code?: string }).code }));
    }, intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async run(signal: AbortSignal | undefined): Promise<FleetSyncReport> {
    const [servers, devicesResult] = await Promise.all([
      this.options.servers.list({ labelSelector: MANAGED_SELECTOR }, { priority: 'sync', ...(signal ? { signal } : {}) }),
      this.listDevices(signal),
    ]);
    const at = new Date(this.clock.now()).toISOString();
    const rows = this.store.live();
    const byServerId = new Map(servers.map((s) => [s.id, s]));
    const report: FleetSyncReport = { at, updated: [], drifted: [], orphans: [], serverStatus: {}, devices: devicesResult.state };
    const patches: { id: string; patch: InstancePatch }[] = [];

    for (const row of rows) {
      const patch: InstancePatch = {};
      const server = row.server_id === null ? undefined : byServerId.get(row.server_id);
      if (server) {
        report.serverStatus[row.id] = server.status;
        const v4 = server.public_net.ipv4?.ip ?? null;
        const v6 = server.public_net.ipv6?.ip ?? null;
        if (v4 !== row.public_ipv4) patch.publicIpv4 = v4;
        if (v6 !== row.public_ipv6) patch.publicIpv6 = v6;
        if (row.drift) patch.drift = false;
      } else if (row.server_id !== null && row.status === 'running') {
        report.drifted.push(row.id);
        if (!row.drift) patch.drift = true;
      }
      if (devicesResult.devices && row.status === 'running') Object.assign(patch, this.devicePatch(row, devicesResult.devices, at));
      const meaningful = Object.keys(patch).filter((k) => k !== 'lastSeen');
      if (Object.keys(patch).length > 0) patches.push({ id: row.id, patch });
      if (meaningful.length > 0) report.updated.push(row.id);
    }
    this.store.applyAll(patches, at);

    const known = this.store.knownServerIds();
    const activeJobs = this.store.activeJobIds();
    for (const s of servers) {
      if (known.has(s.id)) continue;
      const job = s.labels['outpost.job'];
      if (job !== undefined && activeJobs.has(job)) continue;
      report.orphans.push({ serverId: s.id, name: s.name, status: s.status, created: s.created, labels: { ...s.labels } });
    }
    if (report.drifted.length || report.orphans.length) {
      this.options.logger?.info('fleet sync: differences', { drifted: report.drifted.length, orphans: report.orphans.length });
    }
    return report;
  }

  private async listDevices(signal: AbortSignal | undefined): Promise<{ state: FleetSyncReport['devices']; devices?: Device[] }> {
    if (!this.options.devices) return { state: 'skipped' };
    try {
      const devices = await this.options.devices.list({ tags: this.options.tags, ...(signal ? { signal } : {}) });
      // Client-side filter as well: the server-side filter is recent (reference §1.6).
      return { state: 'ok', devices: devices.filter((d) => this.options.tags.every((t) => (d.tags ?? []).includes(t))) };
    } catch (err) {
      this.options.logger?.warn('fleet sync: device list failed', { code: (err as { code?: string }).code });
      return { state: 'failed' };
    }
  }

  /** By node id when enrolled, else by exact hostname (newest); never by MagicDNS name. */
  private devicePatch(row: FleetRow, devices: Device[], at: string): InstancePatch {
    const device =
      row.node_id !== null
        ? devices.find((d) => d.nodeId === row.node_id)
        : devices.filter((d) => d.hostname === row.hostname).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
    const patch: InstancePatch = {};
    if (!device) {
      if (row.node_id !== null && row.enrollment !== 'gone') patch.enrollment = 'gone';
      return patch;
    }
    const online = device.connectedToControl === true;
    const enrollment = online ? 'online' : 'offline';
    if (enrollment !== row.enrollment) patch.enrollment = enrollment;
    const lastSeen = online ? at : (device.lastSeen ?? row.last_seen);
    if (lastSeen !== row.last_seen) patch.lastSeen = lastSeen;
    if (device.nodeId !== row.node_id) patch.nodeId = device.nodeId;
    const ip = tailnetIpv4(device);
    if (ip !== null && ip !== row.tailnet_ip) patch.tailnetIp = ip;
    return patch;
  }
}
