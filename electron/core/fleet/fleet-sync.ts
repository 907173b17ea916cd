// FleetSync: periodic reconciliation of the cloud against the store (DESIGN §4, §10). Two list calls
// per run (servers labelled outpost.managed=true, at sync priority; devices with our tags), then:
// - IPs of every live instance from its server;
// - a running instance whose server is gone: destroyed when its tailnet device is gone too, else drift
//   (the destroyed-vs-drift rule below);
// - tailnet state of running instances: online / offline / last seen, or gone;
// - servers labelled by Outpost that no instance or local active job owns: adopted, pending or
//   unowned (ledger.ts). Servers without the managed label are never looked at, whatever the API
//   returns (checked here as well as by the selector).
// Instance.status is the pipeline's (a job's outcome), so sync reports the cloud status instead.
import type { UnownedServer } from '../../../shared/domain';
import type { InstancePatch } from '../db/repos/instances';
import type { Store } from '../db/store';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import type { Server, ServerStatus } from '../hetzner/types';
import type { Device } from '../tailscale/types';
import { tailnetIpv4 } from '../tailscale/devices';
import type { FleetRow } from '../db/repos/fleet';
import { DEFAULT_PIPELINE_CONFIG } from '../provisioning/config';
import { adoptServer } from './adopt';
import { isManaged, LABEL, MANAGED_SELECTOR } from './labels';
import { classify, jobLifetimeMs, unownedOf } from './ledger';

export { MANAGED_SELECTOR } from './labels';

/**
 * The destroyed-vs-drift rule. Outpost's destroy (on any desktop) deletes the server and then the
 * tailnet device through the API. A server deleted outside Outpost leaves its ephemeral device in the
 * tailnet, offline, until Tailscale reaps it — 30 min at the soonest (reference tailscale §2.4). So a
 * running instance whose server is gone is recorded destroyed when its device is gone as well, at
 * the first sync that misses the server or within this window after it (a sync can fall between
 * the two deletes); a device still there after that is drift, and drift stays drift.
 */
export const DESTROY_EVIDENCE_MS = 10 * 60_000;

export interface ServerLister {
  list(query: { labelSelector?: string }, options?: { priority?: 'sync'; signal?: AbortSignal }): Promise<Server[]>;
}
export interface DeviceLister {
  list(options: { tags?: string[]; signal?: AbortSignal }): Promise<Device[]>;
}

export interface FleetSyncReport {
  at: string;
  /** Instance ids whose row changed (IPs, drift, enrollment, node, tailnet IP, adopted, destroyed). */
  updated: string[];
  /** Instance ids adopted by this run. */
  adopted: string[];
  /** Instance ids recorded destroyed by this run (server and device gone: an Outpost destroyed it). */
  destroyed: string[];
  /** Instance ids newly or still in drift (store says running, cloud has no server, tailnet has its device). */
  drifted: string[];
  unowned: UnownedServer[];
  /** Managed servers being provisioned elsewhere, or undecided because the device list failed. */
  pending: number;
  /** Hetzner's status of every live instance's server, by instance id. */
  serverStatus: Record<string, ServerStatus>;
  /** 'skipped' without a Tailscale client; 'failed' when the device list failed (servers still synced). */
  devices: 'ok' | 'skipped' | 'failed';
}

export interface FleetSyncOptions {
  store: Store;
  servers: ServerLister;
  devices?: DeviceLister;
  /** The tags our VMs carry (the OAuth client's tags). */
  tags: string[];
  clock?: Clock;
  logger?: Logger;
  /** An unenrolled server older than this is unowned (default: a provision job's lifetime, ledger.ts). */
  unownedAfterMs?: number;
}

export class FleetSync {
  private readonly store: Store;
  private readonly clock: Clock;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<FleetSyncReport> | undefined;
  private last: FleetSyncReport | undefined;

  constructor(private readonly options: FleetSyncOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
  }

  /** One reconciliation; concurrent calls share it. */
  sync(options: { signal?: AbortSignal } = {}): Promise<FleetSyncReport> {
    this.running ??= this.run(options.signal)
      .then((report) => (this.last = report))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** The latest report (background or on demand), if a sync has finished. */
  lastReport(): FleetSyncReport | undefined {
    return this.last;
  }

  /** An unowned server was adopted or deleted: the last report stops listing it. */
  forgetUnowned(serverId: number): void {
    if (this.last) this.last = { ...this.last, unowned: this.last.unowned.filter((u) => u.serverId !== serverId) };
  }

  /** The age past which an unenrolled, unknown managed server is unowned. */
  get unownedAfterMs(): number {
    return this.options.unownedAfterMs ?? jobLifetimeMs(DEFAULT_PIPELINE_CONFIG);
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
    const [listed, devicesResult] = await Promise.all([
      this.options.servers.list({ labelSelector: MANAGED_SELECTOR }, { priority: 'sync', ...(signal ? { signal } : {}) }),
      this.listDevices(signal),
    ]);
    // Never trust the filter alone: a server without Outpost's label is not ours to show or touch.
    const servers = listed.filter(isManaged);
    const now = this.clock.now();
    const at = new Date(now).toISOString();
    const rows = await this.store.fleet.live();
    const byServerId = new Map(servers.map((s) => [s.id, s]));
    const report: FleetSyncReport = { at, updated: [], adopted: [], destroyed: [], drifted: [], unowned: [], pending: 0, serverStatus: {}, devices: devicesResult.state };
    const patches: { id: string; patch: InstancePatch }[] = [];
    const destroyed: FleetRow[] = [];

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
        if (row.drift_since !== null) patch.driftSince = null;
      } else if (row.server_id !== null && row.status === 'running') {
        if (this.destroyedElsewhere(row, devicesResult.devices, now)) {
          destroyed.push(row);
          report.destroyed.push(row.id);
          report.updated.push(row.id);
          continue;
        }
        report.drifted.push(row.id);
        if (!row.drift) patch.drift = true;
        if (row.drift_since === null) patch.driftSince = at;
      }
      if (devicesResult.devices && row.status === 'running') Object.assign(patch, this.devicePatch(row, devicesResult.devices, at));
      const meaningful = Object.keys(patch).filter((k) => k !== 'lastSeen' && k !== 'driftSince');
      if (Object.keys(patch).length > 0) patches.push({ id: row.id, patch });
      if (meaningful.length > 0) report.updated.push(row.id);
    }

    const known = await this.store.fleet.knownServerIds();
    const activeJobs = await this.store.fleet.activeJobIds();
    const adoptions: { server: Server; device: Device }[] = [];
    for (const s of servers) {
      if (known.has(s.id) || s.status === 'deleting') continue;
      const job = s.labels[LABEL.job];
      if (job !== undefined && activeJobs.has(job)) continue;
      const verdict = classify(s, devicesResult.devices, this.options.tags, now, this.unownedAfterMs);
      if (verdict.kind === 'adopt') adoptions.push({ server: s, device: verdict.device });
      else if (verdict.kind === 'unowned') report.unowned.push(unownedOf(s));
      else report.pending += 1;
    }

    // One transaction for the run's writes. It may be run again (PostgreSQL serialization retry), so it
    // only returns what it adopted; the report is filled after it committed.
    const adopted = await this.store.transaction(async (tx) => {
      await tx.fleet.applyAll(patches, at);
      for (const row of destroyed) await tx.fleet.markDestroyed(row, at);
      const ids: string[] = [];
      for (const a of adoptions) ids.push(await adoptServer(tx, a.server, a.device, at));
      return ids;
    });
    report.adopted.push(...adopted);
    report.updated.push(...report.adopted);

    if (report.drifted.length || report.unowned.length || report.adopted.length || report.destroyed.length) {
      this.options.logger?.info('fleet sync: differences', {
        drifted: report.drifted.length,
        unowned: report.unowned.length,
        adopted: report.adopted.length,
        destroyed: report.destroyed.length,
      });
    }
    return report;
  }

  /**
   * The destroyed-vs-drift rule (DESTROY_EVIDENCE_MS): the server is gone; was it an Outpost destroy?
   * Only a device list that answered can say the device is gone too.
   */
  private destroyedElsewhere(row: FleetRow, devices: Device[] | undefined, now: number): boolean {
    if (!devices) return false;
    // Drift recorded before its date was kept (an older Outpost) is old drift.
    if (row.drift_since === null && row.drift) return false;
    const missedSince = row.drift_since === null ? now : Date.parse(row.drift_since);
    if (!(now - missedSince <= DESTROY_EVIDENCE_MS)) return false;
    return this.findDevice(row, devices) === undefined;
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
  private findDevice(row: FleetRow, devices: Device[]): Device | undefined {
    return row.node_id !== null
      ? devices.find((d) => d.nodeId === row.node_id)
      : devices.filter((d) => d.hostname === row.hostname).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
  }

  private devicePatch(row: FleetRow, devices: Device[], at: string): InstancePatch {
    const device = this.findDevice(row, devices);
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
