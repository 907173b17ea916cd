// Which jobs this process runs. Several server processes may share one database (issue 16): a job
// runs only in the process holding its lease (an owner, an expiry renewed every third of the lease,
// and a token that grows at every claim). A process that dies stops renewing, and another one claims
// the job once the lease has expired and continues it from its journal. A process that only stalled
// (paused, cut off from the database) and comes back finds its token stale: every write of the job's
// progress checks the token in the write's own transaction and is refused, so it cannot write over
// its successor's work (fencing). The store's side is db/repos/leases.ts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { OutpostError } from '../../../shared/errors';
import type { Store } from '../db/store';
import type { NewJobLease } from '../db/repos/jobs';
import type { HeldLease } from '../db/repos/leases';

/** Seconds a dead server's jobs wait before another server takes them over (default: PipelineConfig.leaseMs). */
export const LEASE_SECONDS_ENV = 'OUTPOST_LEASE_SECONDS';

/**
 * The lease length from the environment, if set. Short leases move a dead server's jobs sooner but
 * take a stalled one's (a long GC pause, a slow disk) away sooner too; at least a second.
 */
export function leaseMsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[LEASE_SECONDS_ENV]?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
    throw new OutpostError('invalid_input', `${LEASE_SECONDS_ENV} must be a number of seconds from 1 to 3600, got ${JSON.stringify(text)}.`, {
      hint: `Unset it for the default (30 s), or set e.g. ${LEASE_SECONDS_ENV}=30.`,
    });
  }
  return Math.round(seconds * 1000);
}

/**
 * This process no longer holds the job: another one claimed it after the lease expired. Not a
 * failure of the job: this process's run of it stops quietly, and the new holder continues it.
 */
export class LeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} is now run by another process: its lease expired and was claimed.`);
    this.name = 'LeaseLost';
  }
}

export interface LeaseOptions {
  leaseMs: number;
  /**
   * No other process uses this store (SQLite: the data directory's lock), so the jobs a previous run
   * left leased are taken over at start instead of waiting for their leases to expire.
   */
  exclusive: boolean;
  /** Wall-clock time (leases are compared across processes; keep servers' clocks in sync). */
  now?: () => number;
}

export interface Renewal {
  /** Held here until now, and claimed by another process since. */
  lost: string[];
  /** Held here, and a cancel was requested (perhaps through another process). */
  cancelRequested: string[];
}

export class Leases {
  /** This process's name in jobs.lease_owner: host and pid for an operator reading the row, and a random part (pids repeat). */
  readonly owner = `${hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`;
  /** jobId → the token of this process's claim. */
  private readonly held = new Map<string, number>();
  /** The run of a job in progress in this async context, and the token it runs under. */
  private readonly running = new AsyncLocalStorage<{ jobId: string; token: number }>();
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: LeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get exclusive(): boolean {
    return this.options.exclusive;
  }

  /** How often leases are renewed and expired ones looked for: a third of the lease, so two renewals can fail before it lapses. */
  get intervalMs(): number {
    return Math.max(10, Math.floor(this.options.leaseMs / 3));
  }

  /** The lease a job recorded by this process gets in the transaction that records it (Store.leaseNewJobs). */
  readonly newJobLease = (): NewJobLease => ({ owner: this.owner, expiresAt: this.expiry() });

  holds(jobId: string): boolean {
    return this.held.has(jobId);
  }

  get heldJobs(): string[] {
    return [...this.held.keys()];
  }

  /**
   * Claims unfinished jobs no live process holds (their lease absent or expired); with `takeOver`,
   * every unfinished job. Returns the ids claimed now.
   */
  async claim(options: { jobId?: string; takeOver?: boolean } = {}): Promise<string[]> {
    const claimed = await this.store.leases.claim(this.owner, this.iso(this.now()), this.expiry(), options);
    for (const { jobId, token } of claimed) this.held.set(jobId, token);
    return claimed.map((c) => c.jobId);
  }

  /**
   * Holds the job if it can: a job this process recorded is already leased to it (with token 1);
   * else it is claimed if no live process holds it. False: another process runs it.
   */
  async acquire(jobId: string): Promise<boolean> {
    if (this.held.has(jobId)) return true;
    const lease = await this.store.leases.of(jobId);
    if (lease?.owner === this.owner) {
      this.held.set(jobId, lease.token);
      return true;
    }
    return (await this.claim({ jobId })).length > 0;
  }

  /**
   * Runs `fn` as this process's run of the job, under the token held now: every write `fence`
   * checks inside it is refused once that token is stale, even if the job was claimed back since.
   */
  run<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const token = this.held.get(jobId);
    if (token === undefined) return Promise.reject(new LeaseLost(jobId));
    return this.running.run({ jobId, token }, fn);
  }

  /**
   * Inside the transaction of a write to `jobId`: when this is a run of that job, checks that its
   * token is still the job's, else throws LeaseLost (the transaction rolls back, nothing is written).
   * A write made outside a run of the job (an operator's cancel request, a note) is not progress and
   * is not fenced.
   */
  async fence(tx: Store, jobId: string): Promise<void> {
    const run = this.running.getStore();
    if (run?.jobId !== jobId) return;
    if (await tx.leases.fence(jobId, run.token)) return;
    if (this.held.get(jobId) === run.token) this.held.delete(jobId);
    throw new LeaseLost(jobId);
  }

  /** Extends every lease held here; says which were lost and which jobs have a cancel requested. */
  async renew(): Promise<Renewal> {
    const jobIds = [...this.held.keys()];
    if (jobIds.length === 0) return { lost: [], cancelRequested: [] };
    const kept = new Map<string, HeldLease>((await this.store.leases.renew(this.owner, jobIds, this.expiry())).map((l) => [l.jobId, l]));
    const lost: string[] = [];
    for (const jobId of jobIds) {
      const lease = kept.get(jobId);
      // Claimed by another process since (a renewal that came too late), or by this one again under a newer token.
      if (!lease) {
        if (this.held.has(jobId)) lost.push(jobId);
        this.held.delete(jobId);
      } else if (this.held.has(jobId)) this.held.set(jobId, lease.token);
    }
    return { lost, cancelRequested: [...kept.values()].filter((l) => l.cancelRequested).map((l) => l.jobId) };
  }

  /** Gives jobs back (all of them by default): claimable at once by any process sharing the store. */
  async release(jobIds: readonly string[] = [...this.held.keys()]): Promise<void> {
    for (const jobId of jobIds) this.held.delete(jobId);
    if (jobIds.length) await this.store.leases.release(this.owner, jobIds);
  }

  /** Forgets the jobs without writing anything, as a process that died would (tests); their leases expire. */
  abandon(): void {
    this.held.clear();
  }

  private expiry(): string {
    return this.iso(this.now() + this.options.leaseMs);
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}
