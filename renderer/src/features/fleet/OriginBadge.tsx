// Where a VM came from, when it is not this desktop: "adopted" (another Outpost created it; this
// store took it in from the server's labels). Local VMs carry no badge: they are the usual case.
import type { Instance } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { dateTime } from '../../lib/format';

export const originText = (i: Pick<Instance, 'originStore' | 'adoptedAt'>): string =>
  `Adopted from store ${i.originStore ?? '(not labelled)'}, at ${dateTime(i.adoptedAt)}`;

export function OriginBadge({ instance }: { instance: Pick<Instance, 'origin' | 'originStore' | 'adoptedAt'> }) {
  if (instance.origin !== 'adopted') return null;
  return (
    <Badge tone="info" title={originText(instance)}>
      adopted
    </Badge>
  );
}
