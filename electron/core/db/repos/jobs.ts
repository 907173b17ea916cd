import type { Job, JobEvent } from '../../../../shared/domain';
import type { Database } from '../driver';

interface JobRow {
  id: string;
  kind: Job['kind'];
  status: Job['status'];
  step: string | null;
  instance_id: string | null;
  payment_id: string | null;
  params: string;
  state: string;
  error_step: string | null;
  error_code: string | null;
  error_message: string | null;
  cancel_requested: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  retry_of: string | null;
  group_id: string | null;
  /** Joined from the job whose retry_of points here. */
  retried_by: string | null;
}

/** Every read of a job carries its retry links; `retried_by` is read through the jobs_retry_of index. */
const SELECT_JOB = 'SELECT j.*, (SELECT r.id FROM jobs r WHERE r.retry_of = j.id) AS retried_by FROM jobs j';

interface EventRow {
  job_id: string;
  seq: number;
  at: string;
  type: JobEvent['type'];
  step: string | null;
  duration_ms: number | null;
  data: string;
}

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
  type: r.type,
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

export class JobsRepo {
  constructor(private readonly db: Database) {}

  insert(n: NewJob): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, status, instance_id, payment_id, params, retry_of, group_id, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(n.id, n.kind, n.instanceId, n.paymentId, JSON.stringify(n.params), n.retryOf ?? null, n.groupId ?? null, n.at, n.at);
  }

  get(id: string): Job | undefined {
    const row = this.db.prepare(`${SELECT_JOB} WHERE j.id = ?`).get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  record(id: string): JobRecord | undefined {
    const row = this.db.prepare(`${SELECT_JOB} WHERE j.id = ?`).get(id) as JobRow | undefined;
    if (!row) return undefined;
    return {
      job: toJob(row),
      params: JSON.parse(row.params) as Record<string, unknown>,
      state: JSON.parse(row.state) as Record<string, unknown>,
      cancelRequested: row.cancel_requested === 1,
    };
  }

  update(id: string, patch: JobPatch, at: string): void {
    const sets: string[] = ['updated_at = ?'];
    const values: unknown[] = [at];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.step !== undefined) set('step', patch.step);
    if (patch.state !== undefined) set('state', JSON.stringify(patch.state));
    if (patch.finishedAt !== undefined) set('finished_at', patch.finishedAt);
    if (patch.error !== undefined) {
      sets.push('error_step = ?', 'error_code = ?', 'error_message = ?');
      values.push(patch.error?.step ?? null, patch.error?.code ?? null, patch.error?.message ?? null);
    }
    this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  requestCancel(id: string, at: string): void {
    this.db.prepare('UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(at, id);
  }

  /** Appends to the job's timeline; `seq` is the next number for this job, assigned atomically. */
  appendEvent(jobId: string, event: NewEvent, at: string): JobEvent {
    const insert = this.db.transaction(() => {
      const { next } = this.db
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM job_events WHERE job_id = ?')
        .get(jobId) as { next: number };
      this.db
        .prepare('INSERT INTO job_events (job_id, seq, at, type, step, duration_ms, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(jobId, next, at, event.type, event.step ?? null, event.durationMs ?? null, JSON.stringify(event.data ?? {}));
      return next;
    });
    const seq = insert.immediate();
    return {
      jobId,
      seq,
      at,
      type: event.type,
      step: event.step ?? null,
      durationMs: event.durationMs ?? null,
      data: event.data ?? {},
    };
  }

  events(jobId: string, afterSeq = 0): JobEvent[] {
    return (
      this.db.prepare('SELECT * FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq').all(jobId, afterSeq) as EventRow[]
    ).map(toEvent);
  }

  list(options: { limit?: number; statuses?: readonly Job['status'][] } = {}): Job[] {
    const where = options.statuses?.length ? `WHERE j.status IN (${options.statuses.map(() => '?').join(',')})` : '';
    return (
      this.db
        .prepare(`${SELECT_JOB} ${where} ORDER BY j.created_at DESC, j.id LIMIT ?`)
        .all(...(options.statuses ?? []), options.limit ?? 200) as JobRow[]
    ).map(toJob);
  }

  /** The instance's jobs, newest first (indexed by jobs_instance). */
  forInstance(instanceId: string): Job[] {
    return (this.db.prepare(`${SELECT_JOB} WHERE j.instance_id = ? ORDER BY j.created_at DESC, j.id`).all(instanceId) as JobRow[]).map(toJob);
  }

  nonTerminal(): Job[] {
    return this.list({ statuses: ['queued', 'running', 'compensating'], limit: 10_000 });
  }
}
