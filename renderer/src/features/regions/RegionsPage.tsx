import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';

export function RegionsPage() {
  const regions = useChannel('regions:list', {});
  const catalog = useChannel('catalog:get', {});
  const go = useUi((s) => s.go);
  const setFilter = useUi((s) => s.setFilter);
  const typeCount = catalog.data?.serverTypes.length ?? 0;
  const showFleet = (region: string) => {
    setFilter('region', region);
    go('fleet');
  };
  return (
    <>
      <PageHeader title="Regions" subtitle="Hetzner locations, your VMs in each, and the server types orderable there right now." />
      {regions.error ? <ErrorNotice title="Could not load the regions" error={regions.error} /> : null}
      {regions.data && regions.data.length === 0 ? (
        <EmptyState title="No regions loaded yet">
          <p>Outpost reads Hetzner's locations and server types when it connects. In live mode, check the Hetzner token in Settings; then reload.</p>
        </EmptyState>
      ) : null}
      {regions.data && regions.data.length > 0 ? (
        <ul className="cards" aria-label="Regions">
          {regions.data.map((r) => (
            <li key={r.name} className="card" aria-label={`${r.name} ${r.city}`}>
              <div className="card-title">
                <div>
                  <strong>{r.city}</strong> <span className="muted">{r.country}</span>
                  <div className="muted small">
                    {r.name} · {r.networkZone}
                  </div>
                </div>
                <button type="button" className="link" onClick={() => showFleet(r.name)} aria-label={`Show the ${r.instanceCount} ${r.instanceCount === 1 ? 'VM' : 'VMs'} in ${r.name}`}>
                  <span className="card-count">{r.instanceCount}</span> {r.instanceCount === 1 ? 'VM' : 'VMs'}
                </button>
              </div>
              <div className="muted small">
                {r.availableServerTypes.length}
                {typeCount ? ` of ${typeCount}` : ''} server types available
              </div>
              <div className="chips" aria-label="Available server types">
                {r.availableServerTypes.length === 0 ? <span className="muted">No type available now</span> : null}
                {r.availableServerTypes.map((t) => (
                  <span key={t} className="chip">
                    {t}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
