// The store: one repository per table group over one Kysely instance, on SQLite (a file) or
// PostgreSQL (a team database). Every method is async, so the same code runs on both engines.
import { sql } from 'kysely';
import type { Database } from './driver';
import { isRetryableConflict, openPostgres, openSqlite, type Db, type Engine, type EngineHandle, type PostgresOptions, type StoreLocation } from './engine';
import type { OpenOptions } from './open';
import { AgentsRepo } from './repos/agents';
import { AuditRepo } from './repos/audit';
import { CatalogRepo } from './repos/catalog';
import { FleetRepo } from './repos/fleet';
import { InstancesRepo } from './repos/instances';
import { JobsRepo, type NewJobLease } from './repos/jobs';
import { LeasesRepo } from './repos/leases';
import { MetaRepo } from './repos/meta';
import { PaymentsRepo } from './repos/payments';
import { UsersRepo } from './repos/users';
import { WebhookEventsRepo } from './repos/webhook-events';

/**
 * A PostgreSQL transaction that lost a serialization race is run again, after a random pause that
 * doubles each time (full jitter, capped): SERIALIZABLE's predicate locks are page-grained, so
 * writers of unrelated jobs in one small table abort each other now and then — twenty jobs of one
 * batch journaling at once lost all of 8 immediate retries in a test. Spread out, they pass.
 */
const MAX_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 2;
const BACKOFF_CAP_MS = 250;
const backoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt)));

export class Store {
  readonly agents: AgentsRepo;
  readonly instances: InstancesRepo;
  readonly jobs: JobsRepo;
  readonly payments: PaymentsRepo;
  readonly audit: AuditRepo;
  readonly catalog: CatalogRepo;
  readonly meta: MetaRepo;
  readonly webhookEvents: WebhookEventsRepo;
  readonly fleet: FleetRepo;
  /** The team server's users, sign-in links, sessions and API tokens (auth/users.ts is the service). */
  readonly users: UsersRepo;
  /** Which process runs which job (provisioning/lease.ts is the process's side). */
  readonly leases: LeasesRepo;

  private constructor(
    private readonly handle: EngineHandle,
    /** The executor the repositories use: the engine's root, or one transaction's connection. */
    readonly db: Db,
    private readonly inTransaction: boolean,
    /** Shared with the store's transactions: who leases the jobs recorded through it (leaseNewJobs). */
    private readonly holder: { newJobLease: (() => NewJobLease) | null } = { newJobLease: null },
  ) {
    this.agents = new AgentsRepo(db);
    this.instances = new InstancesRepo(db);
    this.jobs = new JobsRepo(db, () => holder.newJobLease?.() ?? null);
    this.payments = new PaymentsRepo(db);
    this.audit = new AuditRepo(db);
    this.catalog = new CatalogRepo(db);
    this.meta = new MetaRepo(db);
    this.webhookEvents = new WebhookEventsRepo(db);
    this.fleet = new FleetRepo(db);
    this.users = new UsersRepo(db);
    this.leases = new LeasesRepo(db, handle.engine);
  }

  static async open(location: StoreLocation | string, options: OpenOptions & PostgresOptions = {}): Promise<Store> {
    const where: StoreLocation = typeof location === 'string' ? { engine: 'sqlite', file: location } : location;
    const handle = where.engine === 'sqlite' ? await openSqlite(where.file, options) : await openPostgres(where.url, options);
    return new Store(handle, handle.db, false);
  }

  /**
   * From now on every job recorded through this store (or one of its transactions) is leased in the
   * transaction that records it, to the process `lease()` names: no other process can claim it between
   * the commit and the moment its creator starts it.
   */
  leaseNewJobs(lease: () => NewJobLease): void {
    this.holder.newJobLease = lease;
  }

  get engine(): Engine {
    return this.handle.engine;
  }

  /** The raw SQLite connection (pragmas, tests); null on PostgreSQL. */
  get sqlite(): Database | null {
    return this.handle.sqlite;
  }

  /**
   * Runs `fn` in one transaction: all of its writes land, or none. `fn` must send every query through
   * `tx` (the store guards against the root being used inside) and do nothing but store work, since
   * on PostgreSQL a transaction that lost a serialization race to another process is run again from
   * the start. SQLite takes its write lock at BEGIN (IMMEDIATE), PostgreSQL runs SERIALIZABLE: either
   * way the transaction behaves as if it ran alone, so a check followed by a write inside it holds.
   * Inside a transaction, `transaction` just runs `fn` as part of it.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const begin = this.handle.engine === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN ISOLATION LEVEL SERIALIZABLE';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handle.db.connection().execute(async (connection) => {
          const conn = connection.withoutPlugins();
          await sql.raw(begin).execute(conn);
          const scope = { open: true };
          try {
            const result = await this.handle.transactionScope.run(scope, () => fn(new Store(this.handle, conn, true, this.holder)));
            await sql.raw('COMMIT').execute(conn);
            return result;
          } catch (err) {
            await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
            throw err;
          } finally {
            scope.open = false;
          }
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(err)) throw err;
        await backoff(attempt);
      }
    }
  }

  integrityProblems(): Promise<string[]> {
    return this.handle.integrityProblems();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
