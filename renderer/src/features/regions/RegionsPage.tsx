import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useChannel } from '../../queries/use-channel';

export function RegionsPage() {
  const regions = useChannel('regions:list', {});
  return (
    <>
      <header className="page-header">
        <h1>Regions</h1>
      </header>
      {regions.error ? <ErrorNotice title="Could not load the regions" error={regions.error} /> : null}
      {regions.data && regions.data.length === 0 ? (
        <EmptyState title="No regions loaded yet">
          <p>Outpost reads Hetzner's locations and server types when it connects. Check the tokens in Settings.</p>
        </EmptyState>
      ) : null}
      {regions.data && regions.data.length > 0 ? (
        <ul className="cards" aria-label="Regions">
          {regions.data.map((r) => (
            <li key={r.name} className="card" aria-label={`${r.name} ${r.city}`}>
              <div className="card-title">
                <strong>{r.city}</strong> <span className="muted">{r.country}</span>
              </div>
              <div className="muted">
                {r.name} · {r.networkZone}
              </div>
              <div>
                {r.instanceCount} {r.instanceCount === 1 ? 'VM' : 'VMs'}
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
