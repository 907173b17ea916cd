// Job leases, the store's side (provisioning/lease.ts is the process's side): which process runs a
// job, until when, and the fencing token that grows at every claim. This is the one place where the
// SQL differs between the engines: on PostgreSQL the claim locks the rows it takes with
// `FOR UPDATE SKIP LOCKED`, so processes claiming at the same moment skip each other's rows instead
// of waiting for them or taking the same ones; SQLite has no row locks and needs none (one writer
// at a time, so a claim statement runs alone).
import { isRetryableConflict, type Db, type Engine } from '../engine';

/** The statuses a process may still have work to do in. */
const UNFINISHED = ['queued', 'running', 'compensating'] as const;

/** Ids per statement in renew/release: far below either engine's bound-parameter limit. */
const CHUNK = 500;

/** How often a claim that lost a serialization race is run again (a database whose default isolation is SERIALIZABLE). */
const CLAIM_ATTEMPTS = 5;

export interface ClaimedJob {
  jobId: string;
  token: number;
}

export interface HeldLease extends ClaimedJob {
  cancelRequested: boolean;
}

export interface JobLease {
  owner: string | null;
  expiresAt: string | null;
  token: number;
}

export interface ClaimOptions {
  /** Only this job. */
  jobId?: string;
  /** Also jobs another owner holds (a SQLite store at start: the data directory's lock says no other process uses it). */
  takeOver?: boolean;
  limit?: number;
}

export class LeasesRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /**
   * Takes the unfinished jobs whose lease is absent or expired at `now` for `owner` until `expiresAt`,
   * raising each one's token. One statement (a WITH ... UPDATE ... RETURNING, atomic on its own), so
   * it selects and leases in one transaction on both engines.
   */
  async claim(owner: string, now: string, expiresAt: string, options: ClaimOptions = {}): Promise<ClaimedJob[]> {
    let claimable = this.db.selectFrom('jobs').select('id').where('status', 'in', UNFINISHED);
    if (!options.takeOver) claimable = claimable.where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]));
    if (options.jobId !== undefined) claimable = claimable.where('id', '=', options.jobId);
    claimable = claimable.orderBy('created_at').orderBy('id').limit(options.limit ?? 1000);
    if (this.engine === 'postgres') claimable = claimable.forUpdate().skipLocked();
    const statement = this.db
      .with('claimable', () => claimable)
      .updateTable('jobs')
      .set((eb) => ({ lease_owner: owner, lease_expires_at: expiresAt, lease_token: eb('lease_token', '+', 1) }))
      .where('id', 'in', (eb) => eb.selectFrom('claimable').select('claimable.id'))
      .returning(['id', 'lease_token']);
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await statement.execute();
        return rows.map((r) => ({ jobId: r.id, token: Number(r.lease_token) }));
      } catch (err) {
        if (attempt < CLAIM_ATTEMPTS && isRetryableConflict(err)) continue;
        throw err;
      }
    }
  }

  /**
   * The fencing check, inside the transaction of a write to the job: true when `token` is still the
   * job's. The no-op UPDATE takes the row's lock, so a claim cannot slip in between this check and
   * the transaction's commit (on PostgreSQL a claim skips the locked row; on SQLite it waits its turn).
   */
  async fence(jobId: string, token: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({ lease_token: eb.ref('lease_token') }))
      .where('id', '=', jobId)
      .where('lease_token', '=', token)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Extends the leases `owner` still holds among `jobIds`; a job missing from the answer was lost. */
  async renew(owner: string, jobIds: readonly string[], expiresAt: string): Promise<HeldLease[]> {
    const held: HeldLease[] = [];
    for (let i = 0; i < jobIds.length; i += CHUNK) {
      const rows = await this.db
        .updateTable('jobs')
        .set({ lease_expires_at: expiresAt })
        .where('lease_owner', '=', owner)
        .where('id', 'in', jobIds.slice(i, i + CHUNK))
        .returning(['id', 'lease_token', 'cancel_requested'])
        .execute();
      for (const r of rows) held.push({ jobId: r.id, token: Number(r.lease_token), cancelRequested: r.cancel_requested === 1 });
    }
    return held;
  }

  /** Gives the jobs back (graceful stop, or finished): claimable at once by any process. The token stays. */
  async release(owner: string, jobIds: readonly string[]): Promise<void> {
    for (let i = 0; i < jobIds.length; i += CHUNK) {
      await this.db
        .updateTable('jobs')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('lease_owner', '=', owner)
        .where('id', 'in', jobIds.slice(i, i + CHUNK))
        .execute();
    }
  }

  async of(jobId: string): Promise<JobLease | undefined> {
    const row = await this.db.selectFrom('jobs').select(['lease_owner', 'lease_expires_at', 'lease_token']).where('id', '=', jobId).executeTakeFirst();
    return row && { owner: row.lease_owner, expiresAt: row.lease_expires_at, token: Number(row.lease_token) };
  }
}
