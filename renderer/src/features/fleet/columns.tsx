import type { ReactNode } from 'react';
import type { Instance } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { age, ago, euro } from '../../lib/format';
import type { SortKey } from '../../stores/ui';
import { OriginBadge } from './OriginBadge';

export interface Column {
  id: SortKey;
  label: string;
  width: string;
  render(instance: Instance, ctx: { now: number; cities: ReadonlyMap<string, string> }): ReactNode;
}

export const COLUMNS: Column[] = [
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(130px, 1.3fr)',
    render: (i) => (
      <>
        <span className="cell-main">{i.name}</span>
        {i.drift ? (
          <Badge tone="bad" title="Fleet sync: the store has this VM but the cloud does not">
            drift
          </Badge>
        ) : null}
        <OriginBadge instance={i} />
      </>
    ),
  },
  { id: 'agent', label: 'Agent · customer', width: 'minmax(110px, 1.2fr)', render: (i) => (i.customer && i.customer !== i.agentName ? `${i.agentName} · ${i.customer}` : i.agentName) },
  {
    id: 'region',
    label: 'Region',
    width: 'minmax(120px, 1.1fr)',
    render: (i, { cities }) => (
      <>
        {i.region}
        {cities.get(i.region) ? <span className="cell-sub"> {cities.get(i.region)}</span> : null}
      </>
    ),
  },
  { id: 'type', label: 'Type', width: '64px', render: (i) => i.serverType },
  { id: 'status', label: 'Status', width: '108px', render: (i) => <Badge>{i.status}</Badge> },
  { id: 'ipv4', label: 'Public IPv4', width: 'minmax(118px, 0.9fr)', render: (i) => i.publicIpv4 ?? '—' },
  { id: 'tailnet', label: 'Tailnet IP', width: 'minmax(142px, 0.9fr)', render: (i) => i.tailnetIp ?? '—' },
  {
    id: 'enrollment',
    label: 'Enrollment',
    width: 'minmax(110px, 1fr)',
    render: (i, { now }) => (
      <>
        <Badge>{i.enrollment}</Badge>
        {i.enrollment === 'offline' ? <span className="cell-sub"> seen {ago(i.lastSeen, now)}</span> : null}
      </>
    ),
  },
  { id: 'age', label: 'Age', width: '62px', render: (i, { now }) => age(i.createdAt, now) },
  { id: 'price', label: 'Monthly', width: '76px', render: (i) => euro(i.monthlyPriceGross) },
];

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ');
