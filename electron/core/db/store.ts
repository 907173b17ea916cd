// The store: one SQLite file, one repository per table group.
import type { Database } from './driver';
import { openDatabase, integrityProblems } from './open';
import { AgentsRepo } from './repos/agents';
import { AuditRepo } from './repos/audit';
import { CatalogRepo } from './repos/catalog';
import { InstancesRepo } from './repos/instances';
import { JobsRepo } from './repos/jobs';
import { MetaRepo } from './repos/meta';
import { PaymentsRepo } from './repos/payments';
import { WebhookEventsRepo } from './repos/webhook-events';

export class Store {
  readonly agents: AgentsRepo;
  readonly instances: InstancesRepo;
  readonly jobs: JobsRepo;
  readonly payments: PaymentsRepo;
  readonly audit: AuditRepo;
  readonly catalog: CatalogRepo;
  readonly meta: MetaRepo;
  readonly webhookEvents: WebhookEventsRepo;

  constructor(readonly db: Database) {
    this.agents = new AgentsRepo(db);
    this.instances = new InstancesRepo(db);
    this.jobs = new JobsRepo(db);
    this.payments = new PaymentsRepo(db);
    this.audit = new AuditRepo(db);
    this.catalog = new CatalogRepo(db);
    this.meta = new MetaRepo(db);
    this.webhookEvents = new WebhookEventsRepo(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  /** Runs `fn` in one IMMEDIATE transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  integrityProblems(): string[] {
    return integrityProblems(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
