// A recorded payment provisions exactly one VM: the payment's UNIQUE reference is claimed in the same
// transaction that creates the job, so a repeat, or a concurrent call, creates nothing. (The cloud
// side — a second Outpost sharing the Hetzner project — is checked before create_server by label.)
import type { z } from 'zod';
import type { PaymentRequest } from '../../../shared/contract';
import type { Payment } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { Store } from '../db/store';
import { newId } from '../ids';
import type { PipelineContext } from '../provisioning/context';
import { insertReservation, planProvision, type Reservation } from '../provisioning/reserve';

export const DEFAULT_IMAGE = 'ubuntu-24.04';

export type PaymentInput = z.output<typeof PaymentRequest>;

export interface RecordedPayment {
  payment: Payment;
  /** False when the reference was already recorded: nothing new was provisioned. */
  created: boolean;
  reservation: Reservation | null;
}

/** What a payment records about itself: what a repeat of its reference must match exactly. */
const detailsOf = (input: PaymentInput) => ({
  customer: input.customer,
  contact: input.contact ?? null,
  amountCents: Math.round(input.amount * 100),
  currency: input.currency,
  plan: input.plan,
  region: input.region,
  note: input.note ?? null,
});
type Details = ReturnType<typeof detailsOf>;
/** A field as the operator typed it (amount, not amountCents). */
const fieldName = (key: keyof Details): string => (key === 'amountCents' ? 'amount' : key);

/**
 * A reference seen before is the same payment only if every recorded detail matches: then the
 * existing payment (and its job) is the answer. Anything else is another payment under a reused
 * reference, refused with the fields that differ, so no customer silently gets nothing.
 */
function sameOrConflict(existing: Payment, input: PaymentInput): RecordedPayment {
  const wanted = detailsOf(input);
  const differ = (Object.keys(wanted) as (keyof Details)[]).filter((key) => existing[key] !== wanted[key]).map(fieldName);
  if (differ.length > 0) {
    throw new OutpostError('conflict', `Payment ${existing.reference} is already recorded with a different ${differ.join(', ')}.`, {
      hint: `Nothing was changed. If this is another payment, give it its own reference; if it is the same one, send the details it was recorded with (see Payments → ${existing.reference}).`,
    });
  }
  return { payment: existing, created: false, reservation: null };
}

export async function recordPayment(store: Store, pipeline: PipelineContext, input: PaymentInput, image: string, now: () => string): Promise<RecordedPayment> {
  const existing = await store.payments.byReference(input.reference);
  if (existing) return sameOrConflict(existing, input);
  const started = performance.now();
  const plan = await planProvision(store, pipeline.clouds, pipeline.config, {
    region: input.region,
    serverType: input.plan,
    image: input.image ?? image,
    agentName: input.agentName ?? input.customer,
    customer: input.customer,
    ...(input.name ? { name: input.name } : {}),
  });
  const at = now();
  const paymentId = newId('pay');
  const reservation = await store.transaction(async (tx) => {
    const inserted = await tx.payments.insertIfNew({
      id: paymentId,
      reference: input.reference,
      ...detailsOf(input),
      recordedAt: at,
    });
    if (!inserted) return null;
    const r = await insertReservation(tx, plan, at, paymentId, performance.now() - started);
    await tx.payments.update(paymentId, { status: 'provisioning', jobId: r.jobId, instanceId: r.instanceId });
    return r;
  });
  if (!reservation) {
    // Another call recorded this reference while this one was checking the catalog.
    return sameOrConflict((await store.payments.byReference(input.reference))!, input);
  }
  const payment = await store.payments.get(paymentId);
  if (!payment) throw new OutpostError('internal', 'The payment vanished after recording.');
  return { payment, created: true, reservation };
}
