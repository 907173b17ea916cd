import { useDeferredValue, useMemo } from 'react';
import type { Region } from '../../../../shared/domain';
import { isEnded } from '../../../../shared/instance-status';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { FLEET_REQUEST } from '../../queries/cache';
import { usePermission } from '../../queries/permissions';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { BulkBar } from './BulkDestroy';
import { filterAndSort, indexFleet } from './filter';
import { FleetSyncBar } from './FleetSyncBar';
import { FleetTable } from './FleetTable';
import { FleetToolbar } from './FleetToolbar';
import { useFleetSelection } from './use-fleet-selection';

const NO_REGIONS: Region[] = [];

export function FleetPage() {
  const instances = useChannel('instances:list', FLEET_REQUEST);
  const regions = useChannel('regions:list', {});
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const open = useUi((s) => s.open);
  // Typing stays responsive: the list re-filters at lower priority than the keystroke.
  const deferredFilters = useDeferredValue(filters);
  const deferredSort = useDeferredValue(sort);

  const regionList = regions.data ?? NO_REGIONS;
  const cities = useMemo(() => new Map(regionList.map((r) => [r.name, r.city])), [regionList]);
  const index = useMemo(() => indexFleet(instances.data ?? [], cities), [instances.data, cities]);
  const visible = useMemo(() => filterAndSort(index, deferredFilters, deferredSort), [index, deferredFilters, deferredSort]);
  const drift = useMemo(() => index.reduce((n, e) => n + (e.instance.drift && !isEnded(e.instance) ? 1 : 0), 0), [index]);
  const ended = useMemo(() => index.reduce((n, e) => n + (isEnded(e.instance) ? 1 : 0), 0), [index]);
  const total = deferredFilters.showEnded ? index.length : index.length - ended;
  // Bulk selection only for a role that may destroy: support sees no checkboxes and no bulk actions.
  const mayDestroy = usePermission('instances:destroy').allowed;
  const { selection, chosen, clear } = useFleetSelection(visible, mayDestroy);
  const filtering = deferredFilters.search.trim() !== '' || deferredFilters.status !== '' || deferredFilters.region !== '' || deferredFilters.enrollment !== '' || deferredFilters.showEnded;

  return (
    <>
      <PageHeader title="Fleet" subtitle="Agent VMs on Hetzner Cloud and their place in the tailnet.">
        <GuardedButton channel="provision:start" onClick={() => open('provision')} inlineReason={false}>
          Provision VM
        </GuardedButton>
      </PageHeader>
      <FleetToolbar regions={regionList} endedCount={ended} />
      <FleetSyncBar driftCount={drift} />
      {instances.error ? <ErrorNotice title="Could not load the fleet" error={instances.error} /> : null}
      {instances.isPending ? <p className="muted" role="status">Loading the fleet…</p> : null}
      {instances.data && total === 0 && !filtering ? (
        <EmptyState title="No VMs yet" action={<GuardedButton channel="provision:start" onClick={() => open('provision')}>Provision your first VM</GuardedButton>}>
          <p>Agent VMs you provision, or that a recorded payment provisions (Payments → Record payment), appear here with their region, IPs and tailnet enrollment.</p>
        </EmptyState>
      ) : null}
      {instances.data && (total > 0 || filtering) ? (
        <>
          <p className="muted count" role="status">
            {visible.length === 1 ? '1 VM' : `${visible.length.toLocaleString()} VMs`}
            {filtering ? ` of ${total.toLocaleString()}` : ''}
            {filtering && visible.length === 0 ? ' — no VM matches these filters.' : ''}
          </p>
          <BulkBar chosen={chosen} onClear={clear} />
          <FleetTable instances={visible} cities={cities} selection={selection} />
        </>
      ) : null}
    </>
  );
}
