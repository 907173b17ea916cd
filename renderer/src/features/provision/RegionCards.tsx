// Region cards for the chosen server type: city, country, its price there, and available or not
// with the reason. A radio group: arrow keys move between regions.
import type { Region } from '../../../../shared/domain';
import { euro } from '../../lib/format';

export function RegionCards({ regions, value, onChange, error }: { regions: Region[]; value: string; onChange(name: string): void; error?: string | undefined }) {
  return (
    <fieldset className="picker" aria-invalid={error ? true : undefined}>
      <legend>Region</legend>
      <div className="option-cards" role="radiogroup" aria-label="Region">
        {regions.map((r) => {
          const available = r.offer ? r.offer.available : true;
          return (
            <label key={r.name} className={`option-card${value === r.name ? ' chosen' : ''}${available ? '' : ' unavailable'}`}>
              <input type="radio" name="region" value={r.name} checked={value === r.name} disabled={!available} onChange={() => onChange(r.name)} aria-label={`${r.city}, ${r.country} (${r.name})`} />
              <span className="option-title">
                {r.city} <span className="muted">{r.country}</span>
              </span>
              <span className="muted small">
                {r.name} · {r.networkZone}
              </span>
              {r.offer ? (
                available ? (
                  <span className="option-price">{euro(r.offer.monthlyGross)}/mo</span>
                ) : (
                  <span className="option-reason">{r.offer.reason ?? 'Not available'}</span>
                )
              ) : null}
            </label>
          );
        })}
      </div>
      {error ? <span className="field-error">{error}</span> : null}
    </fieldset>
  );
}
