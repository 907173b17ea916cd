// What fleet sync reads across the instances and jobs tables (the fleet as the store knows it);
// writes go through InstancesRepo.update, in one transaction per sync.
import type { Database } from '../driver';
import { InstancesRepo, type InstancePatch } from './instances';

export interface FleetRow {
  id: string;
  status: 'provisioning' | 'running' | 'failed' | 'destroying' | 'destroyed';
  server_id: number | null;
  job_id: string | null;
  hostname: string;
  node_id: string | null;
  public_ipv4: string | null;
  public_ipv6: string | null;
  tailnet_ip: string | null;
  enrollment: 'pending' | 'online' | 'offline' | 'gone';
  last_seen: string | null;
  drift: number;
  drift_since: string | null;
  agent_id: string;
}

export class FleetRepo {
  private readonly instances: InstancesRepo;

  constructor(private readonly db: Database) {
    this.instances = new InstancesRepo(db);
  }

  /** Every instance not yet destroyed. */
  live(): FleetRow[] {
    return this.db
      .prepare(
        `SELECT id, status, server_id, job_id, hostname, node_id, public_ipv4, public_ipv6, tailnet_ip,
                enrollment, last_seen, drift, drift_since, agent_id
         FROM instances WHERE status <> 'destroyed'`,
      )
      .all() as FleetRow[];
  }

  /** Server ids some live instance owns. */
  knownServerIds(): Set<number> {
    const rows = this.db.prepare(`SELECT server_id FROM instances WHERE server_id IS NOT NULL AND status <> 'destroyed'`).all() as { server_id: number }[];
    return new Set(rows.map((r) => r.server_id));
  }

  /** Job ids that may own a server the store has not recorded yet (create in flight, crash before save). */
  activeJobIds(): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT id FROM jobs WHERE status IN ('queued','running','compensating')
         UNION SELECT job_id AS id FROM instances WHERE job_id IS NOT NULL AND status <> 'destroyed'`,
      )
      .all() as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** An Outpost destroyed it (fleet-sync's destroyed-vs-drift rule): the row and its agent are closed. */
  markDestroyed(row: Pick<FleetRow, 'id' | 'agent_id'>, at: string): void {
    this.instances.update(row.id, { status: 'destroyed', destroyedAt: at, drift: false, driftSince: null, enrollment: 'gone' }, at);
    this.db.prepare(`UPDATE agents SET status = 'destroyed', updated_at = ? WHERE id = ?`).run(at, row.agent_id);
  }

  applyAll(patches: readonly { id: string; patch: InstancePatch }[], at: string): void {
    if (patches.length === 0) return;
    // Nested in the sync's transaction, better-sqlite3 makes this a savepoint.
    this.db.transaction(() => {
      for (const p of patches) this.instances.update(p.id, p.patch, at);
    })();
  }
}
