// What fleet sync reads across the instances and jobs tables (the fleet as the store knows it);
// writes go through InstancesRepo.update, in one transaction per sync.
import type { Db } from '../engine';
import type { InstancesTable } from '../tables';
import { InstancesRepo, type InstancePatch } from './instances';

export interface FleetRow {
  id: string;
  status: InstancesTable['status'];
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

  constructor(private readonly db: Db) {
    this.instances = new InstancesRepo(db);
  }

  /** Every instance not yet destroyed. */
  async live(): Promise<FleetRow[]> {
    return this.db
      .selectFrom('instances')
      .select(['id', 'status', 'server_id', 'job_id', 'hostname', 'node_id', 'public_ipv4', 'public_ipv6', 'tailnet_ip', 'enrollment', 'last_seen', 'drift', 'drift_since', 'agent_id'])
      .where('status', '<>', 'destroyed')
      .orderBy('id')
      .execute();
  }

  /** Server ids some live instance owns. */
  async knownServerIds(): Promise<Set<number>> {
    const rows = await this.db.selectFrom('instances').select('server_id').where('server_id', 'is not', null).where('status', '<>', 'destroyed').execute();
    return new Set(rows.map((r) => Number(r.server_id)));
  }

  /** Job ids that may own a server the store has not recorded yet (create in flight, crash before save). */
  async activeJobIds(): Promise<Set<string>> {
    // One statement, so both halves are read at one moment (a job cannot finish between them).
    const rows = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ['queued', 'running', 'compensating'])
      .union(
        this.db
          .selectFrom('instances')
          .select('job_id as id')
          .where('job_id', 'is not', null)
          .where('status', '<>', 'destroyed')
          .$narrowType<{ id: string }>(),
      )
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** An Outpost destroyed it (fleet-sync's destroyed-vs-drift rule): the row and its agent are closed. */
  async markDestroyed(row: Pick<FleetRow, 'id' | 'agent_id'>, at: string): Promise<void> {
    await this.instances.update(row.id, { status: 'destroyed', destroyedAt: at, drift: false, driftSince: null, enrollment: 'gone' }, at);
    await this.db.updateTable('agents').set({ status: 'destroyed', updated_at: at }).where('id', '=', row.agent_id).execute();
  }

  /** One update per patch; run it inside the sync's transaction, which makes them land together. */
  async applyAll(patches: readonly { id: string; patch: InstancePatch }[], at: string): Promise<void> {
    for (const p of patches) await this.instances.update(p.id, p.patch, at);
  }
}
