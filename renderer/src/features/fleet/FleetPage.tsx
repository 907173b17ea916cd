import { useCallback, useMemo, useState } from 'react';
import type { Region } from '../../../../shared/domain';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatCount } from '../../lib/format';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { usePermission } from '../../queries/permissions';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { BulkBar } from './BulkDestroy';
import { FleetSyncBar } from './FleetSyncBar';
import { FleetTable } from './FleetTable';
import { FleetToolbar } from './FleetToolbar';
import { fleetRequest, useFleetPage } from './use-fleet-page';
import { useFleetSelection } from './use-fleet-selection';

const NO_REGIONS: Region[] = [];

/** "1 VM", "1,234 VMs", and "more than 1,000 VMs" for a search that counted up to its cap. */
const vms = (n: number, capped = false) => (capped ? `More than ${formatCount(n)} VMs` : n === 1 ? '1 VM' : `${formatCount(n)} VMs`);

export function FleetPage() {
  const regions = useChannel('regions:list', {});
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const open = useUi((s) => s.open);
  // The store filters and sorts: a keystroke is one small request, answered from indexes, with the
  // previous rows on screen until it lands (nothing is deferred or debounced).
  const request = useMemo(() => fleetRequest(filters, sort), [filters, sort]);
  const [range, setRange] = useState({ first: 0, last: 0 });
  const onRange = useCallback((first: number, last: number) => setRange((r) => (r.first === first && r.last === last ? r : { first, last })), []);
  const page = useFleetPage(request, range);
  const resetKey = useMemo(() => JSON.stringify(request), [request]);

  const regionList = regions.data ?? NO_REGIONS;
  const cities = useMemo(() => new Map(regionList.map((r) => [r.name, r.city])), [regionList]);
  const summary = page.summary;
  const fleetTotal = summary ? summary.counts.live + (filters.showEnded ? summary.counts.ended : 0) : 0;
  // Bulk selection only for a role that may destroy: support sees no checkboxes and no bulk actions.
  const mayDestroy = usePermission('instances:destroy').allowed;
  const { selection, chosen, clear } = useFleetSelection(request, page.loaded, summary?.selectable ?? 0, mayDestroy);
  const filtering = filters.search.trim() !== '' || filters.status !== '' || filters.region !== '' || filters.enrollment !== '' || filters.showEnded;

  return (
    <>
      <PageHeader title="Fleet" subtitle="Agent VMs on Hetzner Cloud and their place in the tailnet.">
        <GuardedButton channel="provision:start" onClick={() => open('provision')} inlineReason={false}>
          Provision VM
        </GuardedButton>
      </PageHeader>
      <FleetToolbar regions={regionList} endedCount={summary?.counts.ended ?? 0} />
      <FleetSyncBar driftCount={summary?.counts.drift ?? 0} />
      {page.error ? <ErrorNotice title="Could not load the fleet" error={page.error} /> : null}
      {page.isPending ? <p className="muted" role="status">Loading the fleet…</p> : null}
      {summary && fleetTotal === 0 && !filtering ? (
        <EmptyState title="No VMs yet" action={<GuardedButton channel="provision:start" onClick={() => open('provision')}>Provision your first VM</GuardedButton>}>
          <p>Agent VMs you provision, or that a recorded payment provisions (Payments → Record payment), appear here with their region, IPs and tailnet enrollment.</p>
        </EmptyState>
      ) : null}
      {summary && (fleetTotal > 0 || filtering) ? (
        <>
          <p className="muted count" role="status" aria-busy={page.stale}>
            {vms(summary.total, summary.capped)}
            {filtering ? ` of ${formatCount(fleetTotal)}` : ''}
            {filtering && summary.total === 0 ? ' — no VM matches these filters.' : ''}
          </p>
          <BulkBar chosen={chosen} onClear={clear} />
          <FleetTable count={page.count} rowAt={page.rowAt} onRange={onRange} cities={cities} selection={selection} resetKey={resetKey} />
        </>
      ) : null}
    </>
  );
}
