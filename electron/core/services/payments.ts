// payments:record → exactly one provisioning job per reference: the UNIQUE constraint decides, in
// the same transaction that creates the job, so a repeat or a concurrent call creates nothing.
import type { ParsedReq } from '../../../shared/contract';
import type { Payment } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { newId } from '../ids';
import { insertReservation, planProvision } from '../provisioning/reserve';
import type { ServicesDeps } from './deps';

export const DEFAULT_IMAGE = 'ubuntu-24.04';

export function paymentServices(deps: ServicesDeps) {
  const { store, runner, pipeline } = deps;

  return {
    'payments:record': async (req: ParsedReq<'payments:record'>): Promise<{ payment: Payment; created: boolean }> => {
      const existing = store.payments.byReference(req.reference);
      if (existing) return { payment: existing, created: false };
      const started = performance.now();
      const plan = await planProvision(store, pipeline.clouds, pipeline.config, {
        region: req.region,
        serverType: req.plan,
        image: req.image ?? deps.settings.get<string>('defaultImage') ?? DEFAULT_IMAGE,
        agentName: req.customer,
        customer: req.customer,
      });
      const at = new Date(deps.clock.now()).toISOString();
      const paymentId = newId('pay');
      const outcome = store.transaction(() => {
        const inserted = store.payments.insertIfNew({
          id: paymentId,
          reference: req.reference,
          customer: req.customer,
          contact: req.contact ?? null,
          amountCents: Math.round(req.amount * 100),
          currency: req.currency,
          plan: req.plan,
          region: req.region,
          note: req.note ?? null,
          recordedAt: at,
        });
        if (!inserted) return null;
        const reservation = insertReservation(store, plan, at, paymentId, performance.now() - started);
        store.payments.update(paymentId, { status: 'provisioning', jobId: reservation.jobId, instanceId: reservation.instanceId });
        return reservation;
      });
      if (!outcome) {
        // Another call recorded this reference while we were checking the catalog.
        return { payment: store.payments.byReference(req.reference)!, created: false };
      }
      pipeline.journal.publish(outcome.jobId, null);
      pipeline.journal.publishInstance(outcome.instanceId);
      runner.start(outcome.jobId);
      const payment = store.payments.get(paymentId);
      if (!payment) throw new OutpostError('internal', 'The payment vanished after recording.');
      return { payment, created: true };
    },

    'payments:list': async () => store.payments.list(),
  };
}
