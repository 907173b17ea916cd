import { ENROLLMENTS, INSTANCE_STATUSES, type Region } from '../../../../shared/domain';
import { Tip } from '../../components/Tip';
import { formatCount } from '../../lib/format';
import { SEARCH_ID } from '../../lib/use-shortcuts';
import { useUi, type FleetFilters } from '../../stores/ui';
import { ColumnChooser } from './ColumnChooser';
import { usePrefetchFleet } from './use-fleet-page';

/** `endedCount`: failed, cancelled and destroyed VMs, hidden unless asked for. */
export function FleetToolbar({ regions, endedCount }: { regions: Region[]; endedCount: number }) {
  const filters = useUi((s) => s.filters);
  const setFilterState = useUi((s) => s.setFilter);
  const prefetch = usePrefetchFleet();
  const setFilter = <K extends keyof FleetFilters>(key: K, value: FleetFilters[K]) => {
    prefetch({ ...filters, [key]: value });
    setFilterState(key, value);
  };
  const reset = useUi((s) => s.resetFilters);
  const active = filters.search !== '' || filters.status !== '' || filters.region !== '' || filters.enrollment !== '' || filters.showEnded;
  return (
    <div className="toolbar" role="search" aria-label="Filter instances">
      <input
        id={SEARCH_ID}
        type="search"
        className="search"
        placeholder="Search name, customer, IP…  ( / )"
        aria-label="Search instances"
        aria-keyshortcuts="/ Control+K"
        value={filters.search}
        onChange={(e) => setFilter('search', e.target.value)}
      />
      <select aria-label="Status" value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
        <option value="">Status: any</option>
        {INSTANCE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
        <option value="drift">drifted</option>
      </select>
      <select aria-label="Region" value={filters.region} onChange={(e) => setFilter('region', e.target.value)}>
        <option value="">Region: all</option>
        {regions.map((r) => (
          <option key={r.name} value={r.name}>
            {r.name} · {r.city}
          </option>
        ))}
      </select>
      <select aria-label="Enrollment" value={filters.enrollment} onChange={(e) => setFilter('enrollment', e.target.value)}>
        <option value="">Enrollment: all</option>
        {ENROLLMENTS.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <Tip content="Failed, cancelled and destroyed VMs">
        <button type="button" className="btn btn-small chip-toggle" aria-pressed={filters.showEnded} disabled={filters.status !== ''} onClick={() => setFilter('showEnded', !filters.showEnded)}>
          {`Show ended (${formatCount(endedCount)})`}
        </button>
      </Tip>
      {active ? (
        <button type="button" className="btn btn-ghost" onClick={reset}>
          Clear filters
        </button>
      ) : null}
      <span className="toolbar-end">
        <ColumnChooser />
      </span>
    </div>
  );
}
