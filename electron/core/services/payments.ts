// payments:record / list over the contract; the rule itself lives in core/payments.
import type { ParsedReq } from '../../../shared/contract';
import { DEFAULT_IMAGE, recordPayment } from '../payments/record';
import type { ServicesDeps } from './deps';

export function paymentServices(deps: ServicesDeps) {
  const { store, runner, pipeline } = deps;
  return {
    'payments:record': async (req: ParsedReq<'payments:record'>) => {
      const image = deps.settings.get<string>('defaultImage') ?? DEFAULT_IMAGE;
      const { payment, created, reservation } = await recordPayment(store, pipeline, req, image, () => new Date(deps.clock.now()).toISOString());
      if (reservation) {
        await runner.launch(reservation.jobId);
      }
      return { payment, created };
    },
    'payments:list': async () => store.payments.list(),
  };
}
