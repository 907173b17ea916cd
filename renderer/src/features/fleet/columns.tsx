// The fleet's columns: what each shows and how wide it may get. A column's minimum fits its header
// label (never truncated) and its usual content; the table scrolls sideways when the minimums do not
// fit, and Name stays in place (sticky) while it does.
import type { ReactNode } from 'react';
import type { Instance } from '../../../../shared/domain';
import { isEnded, shownStatus } from '../../../../shared/instance-status';
import { Badge } from '../../components/Badge';
import { age, ago, euro } from '../../lib/format';
import type { SortKey } from '../../stores/ui';
import { OriginBadge } from './OriginBadge';
import { VmName } from './VmName';

export type ColumnId = SortKey;

export interface Column {
  id: ColumnId;
  label: string;
  /** Pixels the column never goes below, and its share of any room beyond. */
  min: number;
  grow: number;
  render(instance: Instance, ctx: { now: number; cities: ReadonlyMap<string, string> }): ReactNode;
  /** Shown after the name button (not part of its name): badges that must never be cut. */
  after?(instance: Instance): ReactNode;
}

/** An ended VM's addresses and price belong to a server that no longer exists: shown as gone. */
const live = (i: Instance, value: string | null): string => (isEnded(i) || value === null ? '—' : value);

export const COLUMNS: readonly Column[] = [
  {
    id: 'name',
    label: 'Name',
    min: 210,
    grow: 1.6,
    render: (i) => <VmName name={i.name} />,
    after: (i) => (
      <>
        {i.drift && !isEnded(i) ? (
          <Badge tone="bad" title="Fleet sync: the store has this VM but the cloud does not">
            drift
          </Badge>
        ) : null}
        <OriginBadge instance={i} />
      </>
    ),
  },
  { id: 'agent', label: 'Agent · customer', min: 150, grow: 1.2, render: (i) => (i.customer && i.customer !== i.agentName ? `${i.agentName} · ${i.customer}` : i.agentName) },
  {
    id: 'region',
    label: 'Region',
    min: 140,
    grow: 1,
    render: (i, { cities }) => (
      <>
        {i.region}
        {cities.get(i.region) ? <span className="cell-sub"> {cities.get(i.region)}</span> : null}
      </>
    ),
  },
  { id: 'type', label: 'Type', min: 72, grow: 0, render: (i) => i.serverType },
  { id: 'status', label: 'Status', min: 124, grow: 0, render: (i) => <Badge>{shownStatus(i)}</Badge> },
  { id: 'ipv4', label: 'Public IPv4', min: 124, grow: 0.6, render: (i) => live(i, i.publicIpv4) },
  { id: 'tailnet', label: 'Tailnet IP', min: 132, grow: 0.6, render: (i) => live(i, i.tailnetIp) },
  {
    id: 'enrollment',
    label: 'Enrollment',
    min: 134,
    grow: 0.8,
    render: (i, { now }) => (
      <>
        <Badge>{i.enrollment}</Badge>
        {i.enrollment === 'offline' ? <span className="cell-sub"> seen {ago(i.lastSeen, now)}</span> : null}
      </>
    ),
  },
  { id: 'age', label: 'Age', min: 64, grow: 0, render: (i, { now }) => age(i.createdAt, now) },
  { id: 'price', label: 'Monthly', min: 96, grow: 0, render: (i) => (isEnded(i) ? '—' : euro(i.monthlyPriceGross)) },
];

/** Columns the operator may hide (Name identifies the row and opens it: it always stays). */
export const HIDEABLE: ReadonlySet<ColumnId> = new Set(COLUMNS.filter((c) => c.id !== 'name').map((c) => c.id));

export function gridTemplate(columns: readonly Column[]): string {
  return columns.map((c) => (c.grow > 0 ? `minmax(${c.min}px, ${c.grow}fr)` : `${c.min}px`)).join(' ');
}

/** The row's width when every column is at its minimum: below it, the table scrolls sideways. */
export function minWidth(columns: readonly Column[]): number {
  return columns.reduce((sum, c) => sum + c.min, 0);
}
