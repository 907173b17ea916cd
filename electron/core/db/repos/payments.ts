import type { Selectable } from 'kysely';
import { PAYMENT_TO_ENROLLED_TARGET_MS, type Payment } from '../../../../shared/domain';
import type { Db } from '../engine';
import type { PaymentsTable } from '../tables';

type PaymentRow = Selectable<PaymentsTable>;

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
  constructor(private readonly db: Db) {}

  /** Inserts the payment unless its reference exists; returns whether this call created it. */
  async insertIfNew(p: NewPayment): Promise<boolean> {
    const result = await this.db
      .insertInto('payments')
      .values({
        id: p.id,
        reference: p.reference,
        customer: p.customer,
        contact: p.contact,
        amount_cents: p.amountCents,
        currency: p.currency,
        plan: p.plan,
        region: p.region,
        note: p.note,
        status: 'recorded',
        recorded_at: p.recordedAt,
      })
      .onConflict((oc) => oc.column('reference').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(id: string): Promise<Payment | undefined> {
    const row = await this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPayment(row);
  }

  async byReference(reference: string): Promise<Payment | undefined> {
    const row = await this.db.selectFrom('payments').selectAll().where('reference', '=', reference).executeTakeFirst();
    return row && toPayment(row);
  }

  /** Sets only the fields given; a field left out (or undefined) keeps its value. */
  async update(
    id: string,
    patch: { status?: Payment['status']; jobId?: string; instanceId?: string; enrolledAt?: string },
  ): Promise<void> {
    const values = {
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.jobId !== undefined && { job_id: patch.jobId }),
      ...(patch.instanceId !== undefined && { instance_id: patch.instanceId }),
      ...(patch.enrolledAt !== undefined && { enrolled_at: patch.enrolledAt }),
    };
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('payments').set(values).where('id', '=', id).execute();
  }

  async list(limit = 500): Promise<Payment[]> {
    const rows = await this.db.selectFrom('payments').selectAll().orderBy('recorded_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(toPayment);
  }
}
