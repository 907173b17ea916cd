import { useDeferredValue } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { FleetTable } from './FleetTable';

export function FleetPage() {
  const search = useUi((s) => s.fleetSearch);
  const setSearch = useUi((s) => s.setFleetSearch);
  const deferred = useDeferredValue(search.trim());
  const instances = useChannel('instances:list', deferred ? { search: deferred } : {});

  return (
    <>
      <header className="page-header">
        <h1>Fleet</h1>
        <input
          type="search"
          className="search"
          placeholder="Search name, customer, IP…"
          aria-label="Search instances"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </header>
      {instances.error ? <ErrorNotice title="Could not load the fleet" error={instances.error} /> : null}
      {instances.data && instances.data.length === 0 && !deferred ? (
        <EmptyState title="No VMs yet">
          <p>
            Agent VMs you provision, or that a recorded payment provisions, appear here with their region, IPs and
            tailnet enrollment.
          </p>
        </EmptyState>
      ) : null}
      {instances.data && instances.data.length === 0 && deferred ? (
        <p className="muted" role="status">
          No VM matches “{deferred}”.
        </p>
      ) : null}
      {instances.data && instances.data.length > 0 ? (
        <>
          <p className="muted" role="status">
            {instances.data.length} {instances.data.length === 1 ? 'VM' : 'VMs'}
          </p>
          <FleetTable instances={instances.data} />
        </>
      ) : null}
    </>
  );
}
