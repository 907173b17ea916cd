import { sql, type Selectable, type Updateable } from 'kysely';
import type { Instance } from '../../../../shared/domain';
import type { Db, Engine } from '../engine';
import type { InstancesTable } from '../tables';
import { derivedColumns } from './instance-keys';
import { InstancePages, type InstancePageAnswer, type PageQuery } from './instance-page';
import { containsInsensitive } from './match';

type InstanceRow = Omit<Selectable<InstancesTable>, 'search_text' | 'ipv4_sort' | 'tailnet_sort' | 'price_sort' | 'agent_sort'> & {
  agent_name: string;
  customer: string | null;
  creator_store: string | null;
  payment_reference: string | null;
};

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

/** Patched fields the search text is made of: a patch naming one rewrites it. */
const SEARCHED: readonly (keyof InstancePatch)[] = ['publicIpv4', 'publicIpv6', 'tailnetIp', 'serverId'];

/** The dialect's placeholder tells the engine apart (the repositories get only the Kysely instance). */
const engineOf = (db: Db): Engine => (sql`${0}`.compile(db).sql === '?' ? 'sqlite' : 'postgres');

const PATCH_COLUMNS: Record<keyof InstancePatch, keyof InstancesTable> = {
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
  private readonly pages: InstancePages;

  constructor(
    private readonly db: Db,
    engine: Engine = engineOf(db),
  ) {
    this.pages = new InstancePages(db, engine);
  }

  // A local instance was created by this store (its id from meta) and its payment is in payments; an
  // adopted one carries both as its labels said.
  private select() {
    return this.db
      .selectFrom('instances as i')
      .innerJoin('agents as a', 'a.id', 'i.agent_id')
      .selectAll('i')
      .select((eb) => [
        'a.name as agent_name',
        'a.customer as customer',
        eb.fn
          .coalesce(
            'i.origin_store',
            eb
              .case()
              .when('i.origin', '=', 'local')
              .then(eb.selectFrom('meta').select('meta.value').where('meta.key', '=', 'store_id'))
              .end(),
          )
          .as('creator_store'),
        // The first payment recorded for it (there is one at most in practice; ordered so both engines agree).
        eb.fn
          .coalesce(
            'i.payment_ref',
            eb.selectFrom('payments as p').select('p.reference').whereRef('p.instance_id', '=', 'i.id').orderBy('p.recorded_at').orderBy('p.id').limit(1),
          )
          .as('payment_reference'),
      ]);
  }

  /** The agent's name and customer, for the search text of a new row. */
  private async agentOf(agentId: string): Promise<{ name: string; customer: string | null }> {
    const agent = await this.db.selectFrom('agents').select(['name', 'customer']).where('id', '=', agentId).executeTakeFirst();
    return agent ?? { name: '', customer: null };
  }

  async insert(n: NewInstance): Promise<void> {
    const agent = await this.agentOf(n.agentId);
    await this.db
      .insertInto('instances')
      .values({
        ...derivedColumns({ name: n.name, agentName: agent.name, customer: agent.customer, publicIpv4: null, publicIpv6: null, tailnetIp: null, serverId: null, monthlyPriceGross: n.monthlyPriceGross }),
        id: n.id,
        name: n.name,
        agent_id: n.agentId,
        job_id: n.jobId,
        region: n.region,
        server_type: n.serverType,
        image: n.image,
        status: 'provisioning',
        hostname: n.hostname,
        monthly_price_gross: n.monthlyPriceGross,
        created_at: n.at,
        updated_at: n.at,
      })
      .execute();
  }

  async insertAdopted(n: AdoptedInstance): Promise<void> {
    const agent = await this.agentOf(n.agentId);
    await this.db
      .insertInto('instances')
      .values({
        ...derivedColumns({ name: n.name, agentName: agent.name, customer: agent.customer, publicIpv4: n.publicIpv4, publicIpv6: n.publicIpv6, tailnetIp: null, serverId: n.serverId, monthlyPriceGross: n.monthlyPriceGross }),
        id: n.id,
        name: n.name,
        agent_id: n.agentId,
        job_id: null,
        region: n.region,
        server_type: n.serverType,
        image: n.image,
        status: 'running',
        server_id: n.serverId,
        public_ipv4: n.publicIpv4,
        public_ipv6: n.publicIpv6,
        hostname: n.hostname,
        monthly_price_gross: n.monthlyPriceGross,
        origin: 'adopted',
        origin_store: n.originStore,
        origin_job: n.originJob,
        adopted_at: n.at,
        payment_ref: n.paymentRef,
        created_at: n.createdAt,
        updated_at: n.at,
      })
      .execute();
  }

  /** The job that created an adopted instance on another desktop (its stray keys carry its id). */
  async originJob(id: string): Promise<string | null> {
    const row = await this.db.selectFrom('instances').select('origin_job').where('id', '=', id).executeTakeFirst();
    return row?.origin_job ?? null;
  }

  async get(id: string): Promise<Instance | undefined> {
    const row = await this.select().where('i.id', '=', id).executeTakeFirst();
    return row && toInstance(row);
  }

  /** The live (not destroyed) instance with this name, if any. */
  async liveByName(name: string): Promise<Instance | undefined> {
    const row = await this.select().where('i.name', '=', name).where('i.status', '<>', 'destroyed').executeTakeFirst();
    return row && toInstance(row);
  }

  /** The auth key id is internal bookkeeping (for revocation), not part of the DTO. */
  async keyId(id: string): Promise<string | null> {
    const row = await this.db.selectFrom('instances').select('key_id').where('id', '=', id).executeTakeFirst();
    return row?.key_id ?? null;
  }

  async update(id: string, patch: InstancePatch, at: string): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch) as [keyof InstancePatch, unknown][]) {
      if (value === undefined) continue;
      values[PATCH_COLUMNS[key]] = typeof value === 'boolean' ? Number(value) : value;
    }
    if (Object.keys(values).length === 0) return;
    if (SEARCHED.some((key) => patch[key] !== undefined)) Object.assign(values, await this.searchedColumns(id, patch));
    await this.db
      .updateTable('instances')
      .set({ ...(values as Updateable<InstancesTable>), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** The search text and address sort keys of a row after `patch` (read in the caller's transaction, if any). */
  private async searchedColumns(id: string, patch: InstancePatch): Promise<Record<string, unknown>> {
    const row = await this.db
      .selectFrom('instances as i')
      .innerJoin('agents as a', 'a.id', 'i.agent_id')
      .select(['i.name', 'a.name as agent_name', 'a.customer', 'i.public_ipv4', 'i.public_ipv6', 'i.tailnet_ip', 'i.server_id', 'i.monthly_price_gross'])
      .where('i.id', '=', id)
      .executeTakeFirst();
    if (!row) return {};
    const pick = <T,>(patched: T | undefined, stored: T): T => (patched === undefined ? stored : patched);
    const { search_text, ipv4_sort, tailnet_sort } = derivedColumns({
      name: row.name,
      agentName: row.agent_name,
      customer: row.customer,
      publicIpv4: pick(patch.publicIpv4, row.public_ipv4),
      publicIpv6: pick(patch.publicIpv6, row.public_ipv6),
      tailnetIp: pick(patch.tailnetIp, row.tailnet_ip),
      serverId: pick(patch.serverId, row.server_id === null ? null : Number(row.server_id)),
      monthlyPriceGross: row.monthly_price_gross,
    });
    return { search_text, ipv4_sort, tailnet_sort };
  }

  /** The rows of these ids (any order). */
  async byIds(ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    const rows = await this.select().where('i.id', 'in', [...ids]).execute();
    return rows.map(toInstance);
  }

  /** instances:page: a window of the fleet, filtered and sorted in SQL, with the counts the page shows. */
  async page(query: PageQuery): Promise<InstancePageAnswer> {
    return this.pages.page(query, (ids) => this.byIds(ids));
  }

  async list(query: InstanceQuery = {}): Promise<Instance[]> {
    let q = this.select();
    if (query.status && query.status.length > 0) q = q.where('i.status', 'in', query.status);
    else if (!query.includeDestroyed) q = q.where('i.status', '<>', 'destroyed');
    if (query.region) q = q.where('i.region', '=', query.region);
    const search = query.search;
    if (search) {
      q = q.where((eb) =>
        eb.or(
          (['i.name', 'a.name', 'a.customer', 'i.public_ipv4', 'i.tailnet_ip'] as const).map((column) => containsInsensitive(eb.ref(column), search)),
        ),
      );
    }
    const rows = await q.orderBy('i.created_at', 'desc').orderBy('i.id').execute();
    return rows.map(toInstance);
  }

  async countByRegion(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('instances')
      .select((eb) => ['region', eb.fn.countAll<number>().as('n')])
      .where('status', '<>', 'destroyed')
      .groupBy('region')
      .orderBy('region')
      .execute();
    return new Map(rows.map((r) => [r.region, Number(r.n)]));
  }
}
