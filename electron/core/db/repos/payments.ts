import { PAYMENT_TO_ENROLLED_TARGET_MS, type Payment } from '../../../../shared/domain';
import type { Database } from '../driver';

interface PaymentRow {
  id: string;
  reference: string;
  customer: string;
  contact: string | null;
  amount_cents: number;
  currency: string;
  plan: string;
  region: string;
  note: string | null;
  status: Payment['status'];
  job_id: string | null;
  instance_id: string | null;
  recorded_at: string;
  enrolled_at: string | null;
}

const enrolledMs = (r: PaymentRow): number | null =>
  r.enrolled_at === null ? null : Math.max(0, Date.parse(r.enrolled_at) - Date.parse(r.recorded_at));

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  reference: r.reference,
  customer: r.customer,
  contact: r.contact,
  amountCents: r.amount_cents,
  currency: r.currency,
  plan: r.plan,
  region: r.region,
  note: r.note,
  status: r.status,
  jobId: r.job_id,
  instanceId: r.instance_id,
  recordedAt: r.recorded_at,
  enrolledAt: r.enrolled_at,
  timeToEnrolledMs: enrolledMs(r),
  withinTarget: r.enrolled_at === null ? null : enrolledMs(r)! <= PAYMENT_TO_ENROLLED_TARGET_MS,
});

export type NewPayment = Omit<Payment, 'status' | 'jobId' | 'instanceId' | 'enrolledAt' | 'timeToEnrolledMs' | 'withinTarget'>;

export class PaymentsRepo {
  constructor(private readonly db: Database) {}

  /** Inserts the payment unless its reference exists; returns whether this call created it. */
  insertIfNew(p: NewPayment): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO payments (id, reference, customer, contact, amount_cents, currency, plan, region, note, status, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'recorded', ?)
         ON CONFLICT(reference) DO NOTHING`,
      )
      .run(p.id, p.reference, p.customer, p.contact, p.amountCents, p.currency, p.plan, p.region, p.note, p.recordedAt);
    return result.changes === 1;
  }

  get(id: string): Payment | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;
    return row && toPayment(row);
  }

  byReference(reference: string): Payment | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE reference = ?').get(reference) as PaymentRow | undefined;
    return row && toPayment(row);
  }

  update(
    id: string,
    patch: { status?: Payment['status']; jobId?: string; instanceId?: string; enrolledAt?: string },
  ): void {
    this.db
      .prepare(
        `UPDATE payments SET status = COALESCE(?, status), job_id = COALESCE(?, job_id),
                instance_id = COALESCE(?, instance_id), enrolled_at = COALESCE(?, enrolled_at) WHERE id = ?`,
      )
      .run(patch.status ?? null, patch.jobId ?? null, patch.instanceId ?? null, patch.enrolledAt ?? null, id);
  }

  list(limit = 500): Payment[] {
    return (this.db.prepare('SELECT * FROM payments ORDER BY recorded_at DESC, id LIMIT ?').all(limit) as PaymentRow[]).map(
      toPayment,
    );
  }
}
