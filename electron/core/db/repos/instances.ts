import type { Instance } from '../../../../shared/domain';
import type { Database } from '../driver';

interface InstanceRow {
  id: string;
  name: string;
  agent_id: string;
  agent_name: string;
  customer: string | null;
  job_id: string | null;
  region: string;
  server_type: string;
  image: string;
  status: Instance['status'];
  server_id: number | null;
  public_ipv4: string | null;
  public_ipv6: string | null;
  tailnet_ip: string | null;
  node_id: string | null;
  hostname: string;
  key_id: string | null;
  enrollment: Instance['enrollment'];
  last_seen: string | null;
  drift: number;
  monthly_price_gross: string | null;
  origin: Instance['origin'];
  creator_store: string | null;
  adopted_at: string | null;
  payment_reference: string | null;
  created_at: string;
  updated_at: string;
}

const toInstance = (r: InstanceRow): Instance => ({
  id: r.id,
  name: r.name,
  agentId: r.agent_id,
  agentName: r.agent_name,
  customer: r.customer,
  region: r.region,
  serverType: r.server_type,
  image: r.image,
  status: r.status,
  serverId: r.server_id,
  publicIpv4: r.public_ipv4,
  publicIpv6: r.public_ipv6,
  tailnetIp: r.tailnet_ip,
  nodeId: r.node_id,
  hostname: r.hostname,
  enrollment: r.enrollment,
  lastSeen: r.last_seen,
  drift: r.drift === 1,
  monthlyPriceGross: r.monthly_price_gross,
  jobId: r.job_id,
  origin: r.origin,
  originStore: r.creator_store,
  adoptedAt: r.adopted_at,
  paymentReference: r.payment_reference,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

// A local instance was created by this store (its id from meta) and its payment is in payments; an
// adopted one carries both as its labels said.
const SELECT = `SELECT i.*, a.name AS agent_name, a.customer AS customer,
                       COALESCE(i.origin_store, CASE WHEN i.origin = 'local' THEN (SELECT value FROM meta WHERE key = 'store_id') END) AS creator_store,
                       COALESCE(i.payment_ref, (SELECT p.reference FROM payments p WHERE p.instance_id = i.id LIMIT 1)) AS payment_reference
                FROM instances i JOIN agents a ON a.id = i.agent_id`;

export interface NewInstance {
  id: string;
  name: string;
  agentId: string;
  jobId: string | null;
  region: string;
  serverType: string;
  image: string;
  hostname: string;
  monthlyPriceGross: string | null;
  at: string;
}

/** A server another Outpost created, taken in from its labels: running from the start, no local job. */
export interface AdoptedInstance {
  id: string;
  name: string;
  agentId: string;
  region: string;
  serverType: string;
  image: string;
  hostname: string;
  monthlyPriceGross: string | null;
  serverId: number;
  publicIpv4: string | null;
  publicIpv6: string | null;
  originStore: string | null;
  originJob: string | null;
  paymentRef: string | null;
  /** When the server was created (the fleet orders by it). */
  createdAt: string;
  at: string;
}

/** Columns the pipeline and fleet sync may change after creation. */
export interface InstancePatch {
  status?: Instance['status'];
  jobId?: string | null;
  serverId?: number | null;
  publicIpv4?: string | null;
  publicIpv6?: string | null;
  tailnetIp?: string | null;
  nodeId?: string | null;
  keyId?: string | null;
  enrollment?: Instance['enrollment'];
  lastSeen?: string | null;
  drift?: boolean;
  region?: string;
  destroyedAt?: string | null;
  driftSince?: string | null;
}

const PATCH_COLUMNS: Record<keyof InstancePatch, string> = {
  status: 'status',
  jobId: 'job_id',
  serverId: 'server_id',
  publicIpv4: 'public_ipv4',
  publicIpv6: 'public_ipv6',
  tailnetIp: 'tailnet_ip',
  nodeId: 'node_id',
  keyId: 'key_id',
  enrollment: 'enrollment',
  lastSeen: 'last_seen',
  drift: 'drift',
  region: 'region',
  destroyedAt: 'destroyed_at',
  driftSince: 'drift_since',
};

export interface InstanceQuery {
  status?: readonly Instance['status'][];
  region?: string;
  search?: string;
  includeDestroyed?: boolean;
}

export class InstancesRepo {
  constructor(private readonly db: Database) {}

  insert(n: NewInstance): void {
    this.db
      .prepare(
        `INSERT INTO instances (id, name, agent_id, job_id, region, server_type, image, status, hostname,
                                monthly_price_gross, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'provisioning', ?, ?, ?, ?)`,
      )
      .run(n.id, n.name, n.agentId, n.jobId, n.region, n.serverType, n.image, n.hostname, n.monthlyPriceGross, n.at, n.at);
  }

  insertAdopted(n: AdoptedInstance): void {
    this.db
      .prepare(
        `INSERT INTO instances (id, name, agent_id, job_id, region, server_type, image, status, server_id, public_ipv4, public_ipv6,
                                hostname, monthly_price_gross, origin, origin_store, origin_job, adopted_at, payment_ref, created_at, updated_at)
         VALUES (?, ?, ?, NULL, ?, ?, ?, 'running', ?, ?, ?, ?, ?, 'adopted', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.id, n.name, n.agentId, n.region, n.serverType, n.image, n.serverId, n.publicIpv4, n.publicIpv6,
        n.hostname, n.monthlyPriceGross, n.originStore, n.originJob, n.at, n.paymentRef, n.createdAt, n.at,
      );
  }

  /** The job that created an adopted instance on another desktop (its stray keys carry its id). */
  originJob(id: string): string | null {
    const row = this.db.prepare('SELECT origin_job FROM instances WHERE id = ?').get(id) as { origin_job: string | null } | undefined;
    return row?.origin_job ?? null;
  }

  get(id: string): Instance | undefined {
    const row = this.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as InstanceRow | undefined;
    return row && toInstance(row);
  }

  /** The live (not destroyed) instance with this name, if any. */
  liveByName(name: string): Instance | undefined {
    const row = this.db.prepare(`${SELECT} WHERE i.name = ? AND i.status <> 'destroyed'`).get(name) as InstanceRow | undefined;
    return row && toInstance(row);
  }

  /** The auth key id is internal bookkeeping (for revocation), not part of the DTO. */
  keyId(id: string): string | null {
    const row = this.db.prepare('SELECT key_id FROM instances WHERE id = ?').get(id) as { key_id: string | null } | undefined;
    return row?.key_id ?? null;
  }

  update(id: string, patch: InstancePatch, at: string): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch) as [keyof InstancePatch, unknown][]) {
      if (value === undefined) continue;
      sets.push(`${PATCH_COLUMNS[key]} = ?`);
      values.push(typeof value === 'boolean' ? Number(value) : value);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE instances SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, at, id);
  }

  list(query: InstanceQuery = {}): Instance[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.status && query.status.length > 0) {
      where.push(`i.status IN (${query.status.map(() => '?').join(',')})`);
      values.push(...query.status);
    } else if (!query.includeDestroyed) {
      where.push(`i.status <> 'destroyed'`);
    }
    if (query.region) {
      where.push('i.region = ?');
      values.push(query.region);
    }
    if (query.search) {
      const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        `(i.name LIKE ? ESCAPE '\\' OR a.name LIKE ? ESCAPE '\\' OR a.customer LIKE ? ESCAPE '\\'
          OR i.public_ipv4 LIKE ? ESCAPE '\\' OR i.tailnet_ip LIKE ? ESCAPE '\\')`,
      );
      values.push(like, like, like, like, like);
    }
    const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY i.created_at DESC, i.id`;
    return (this.db.prepare(sql).all(...values) as InstanceRow[]).map(toInstance);
  }

  countByRegion(): Map<string, number> {
    const rows = this.db
      .prepare(`SELECT region, COUNT(*) AS n FROM instances WHERE status <> 'destroyed' GROUP BY region`)
      .all() as { region: string; n: number }[];
    return new Map(rows.map((r) => [r.region, r.n]));
  }
}
