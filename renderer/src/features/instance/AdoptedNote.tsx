// In the drawer of an adopted VM, instead of its jobs: where it came from. Its job history stays on
// the desktop that ran the job (README "One fleet, many desktops").
import type { Instance } from '../../../../shared/domain';
import { originText } from '../fleet/OriginBadge';

export function AdoptedNote({ instance }: { instance: Instance }) {
  return (
    <section aria-label="Origin" className="panel-origin">
      <h3>Origin</h3>
      <p>{originText(instance)}.</p>
      <p className="muted">
        Another Outpost created this VM{instance.paymentReference ? ` for payment ${instance.paymentReference}` : ''}; its job history stays on that desktop. Fleet
        sync keeps its addresses and tailnet state current here, and Destroy removes it everywhere.
      </p>
    </section>
  );
}
