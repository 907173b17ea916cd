import { sql, type Selectable, type Updateable } from 'kysely';
import type { Job, JobEvent } from '../../../../shared/domain';
import type { Db } from '../engine';
import type { JobEventsTable, JobsTable } from '../tables';

type JobRow = Selectable<JobsTable> & {
  /** Joined from the job whose retry_of points here. */
  retried_by: string | null;
};

type EventRow = Selectable<JobEventsTable>;

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  step: r.step,
  instanceId: r.instance_id,
  paymentId: r.payment_id,
  error: r.error_step !== null ? { step: r.error_step, code: r.error_code ?? 'unknown', message: r.error_message ?? '' } : null,
  retryOf: r.retry_of,
  retriedBy: r.retried_by,
  groupId: r.group_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

const toEvent = (r: EventRow): JobEvent => ({
  jobId: r.job_id,
  seq: r.seq,
  at: r.at,
  type: r.type as JobEvent['type'],
  step: r.step,
  durationMs: r.duration_ms,
  data: JSON.parse(r.data) as Record<string, unknown>,
});

/** What the pipeline needs besides the DTO: its parameters and its private progress state. */
export interface JobRecord {
  job: Job;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
  cancelRequested: boolean;
}

export interface NewJob {
  id: string;
  kind: Job['kind'];
  instanceId: string | null;
  paymentId: string | null;
  params: Record<string, unknown>;
  at: string;
  /** The failed job this one retries (unique: a job is retried once). */
  retryOf?: string | null;
  /** The batch it was recorded with (Provision with a quantity). */
  groupId?: string | null;
}

export interface JobPatch {
  status?: Job['status'];
  step?: string | null;
  state?: object;
  error?: { step: string; code: string; message: string } | null;
  finishedAt?: string | null;
}

export interface NewEvent {
  type: JobEvent['type'];
  step?: string | null;
  durationMs?: number | null;
  data?: Record<string, unknown>;
}

/** The process that runs a job from the moment it is recorded (Store.leaseNewJobs). */
export interface NewJobLease {
  owner: string;
  expiresAt: string;
}

/** How often appendEvent tries the next number when a concurrent append took it (PostgreSQL only). */
const APPEND_ATTEMPTS = 50;

export class JobsRepo {
  constructor(
    private readonly db: Db,
    /** Who leases a job recorded here (null: nobody, a process claims it later). */
    private readonly newJobLease: () => NewJobLease | null = () => null,
  ) {}

  /** Every read of a job carries its retry links; `retried_by` is read through the jobs_retry_of index. */
  private selectJob() {
    return this.db
      .selectFrom('jobs as j')
      .selectAll('j')
      .select((eb) => eb.selectFrom('jobs as r').select('r.id').whereRef('r.retry_of', '=', 'j.id').as('retried_by'));
  }

  async insert(n: NewJob): Promise<void> {
    const lease = this.newJobLease();
    await this.db
      .insertInto('jobs')
      .values({
        id: n.id,
        kind: n.kind,
        status: 'queued',
        instance_id: n.instanceId,
        payment_id: n.paymentId,
        params: JSON.stringify(n.params),
        retry_of: n.retryOf ?? null,
        group_id: n.groupId ?? null,
        created_at: n.at,
        updated_at: n.at,
        // Its first claim: token 1, as a claim would have made it.
        ...(lease ? { lease_owner: lease.owner, lease_expires_at: lease.expiresAt, lease_token: 1 } : {}),
      })
      .execute();
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.selectJob().where('j.id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async record(id: string): Promise<JobRecord | undefined> {
    const row = await this.selectJob().where('j.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      job: toJob(row),
      params: JSON.parse(row.params) as Record<string, unknown>,
      state: JSON.parse(row.state) as Record<string, unknown>,
      cancelRequested: row.cancel_requested === 1,
    };
  }

  async update(id: string, patch: JobPatch, at: string): Promise<void> {
    const values: Updateable<JobsTable> = { updated_at: at };
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.step !== undefined) values.step = patch.step;
    if (patch.state !== undefined) values.state = JSON.stringify(patch.state);
    if (patch.finishedAt !== undefined) values.finished_at = patch.finishedAt;
    // A job's lease is given back in the write that finishes it: no process (or reader) ever sees a
    // finished job still leased, even when the runner's own release comes late or never (it dies).
    if (patch.finishedAt) {
      values.lease_owner = null;
      values.lease_expires_at = null;
    }
    if (patch.error !== undefined) {
      values.error_step = patch.error?.step ?? null;
      values.error_code = patch.error?.code ?? null;
      values.error_message = patch.error?.message ?? null;
    }
    await this.db.updateTable('jobs').set(values).where('id', '=', id).execute();
  }

  async requestCancel(id: string, at: string): Promise<void> {
    await this.db.updateTable('jobs').set({ cancel_requested: 1, updated_at: at }).where('id', '=', id).execute();
  }

  /**
   * Appends to the job's timeline; `seq` is the next number for this job, assigned atomically: one
   * INSERT ... SELECT MAX(seq) + 1, so on SQLite (one writer at a time) no other write can come between
   * reading the number and using it. On PostgreSQL two appends to one job racing outside a transaction
   * can both read the same MAX; the (job_id, seq) key lets only one have the number, the other inserts
   * nothing and tries again with the next one (in a store transaction PostgreSQL reports the race as a
   * serialization failure instead, and the transaction is run again).
   */
  async appendEvent(jobId: string, event: NewEvent, at: string): Promise<JobEvent> {
    const step = event.step ?? null;
    const durationMs = event.durationMs ?? null;
    const data = event.data ?? {};
    const insert = this.db
      .insertInto('job_events')
      .columns(['job_id', 'seq', 'at', 'type', 'step', 'duration_ms', 'data'])
      .expression((eb) =>
        eb
          .selectFrom('job_events')
          .select([
            eb.val(jobId).as('job_id'),
            sql<number>`COALESCE(MAX(seq), 0) + 1`.as('seq'),
            eb.val(at).as('at'),
            eb.val(event.type).as('type'),
            eb.val(step).as('step'),
            eb.val(durationMs).as('duration_ms'),
            eb.val(JSON.stringify(data)).as('data'),
          ])
          // A WHERE ends the SELECT, so SQLite cannot read the ON CONFLICT below as a join's ON.
          .where('job_id', '=', jobId),
      )
      .onConflict((oc) => oc.columns(['job_id', 'seq']).doNothing())
      .returning('seq');
    for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
      const row = await insert.executeTakeFirst();
      if (row) return { jobId, seq: Number(row.seq), at, type: event.type, step, durationMs, data };
    }
    throw new Error(`Could not number an event of job ${jobId}: ${APPEND_ATTEMPTS} appends running at once took every number first.`);
  }

  async events(jobId: string, afterSeq = 0): Promise<JobEvent[]> {
    const rows = await this.db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).where('seq', '>', afterSeq).orderBy('seq').execute();
    return rows.map(toEvent);
  }

  async list(options: { limit?: number; statuses?: readonly Job['status'][] } = {}): Promise<Job[]> {
    let query = this.selectJob();
    if (options.statuses?.length) query = query.where('j.status', 'in', options.statuses);
    const rows = await query.orderBy('j.created_at', 'desc').orderBy('j.id').limit(options.limit ?? 200).execute();
    return rows.map(toJob);
  }

  /** The instance's jobs, newest first (indexed by jobs_instance). */
  async forInstance(instanceId: string): Promise<Job[]> {
    const rows = await this.selectJob().where('j.instance_id', '=', instanceId).orderBy('j.created_at', 'desc').orderBy('j.id').execute();
    return rows.map(toJob);
  }

  async nonTerminal(): Promise<Job[]> {
    return this.list({ statuses: ['queued', 'running', 'compensating'], limit: 10_000 });
  }
}
