// Server types with cores, memory, disk and the price in the chosen region (or "from" the cheapest).
import type { ServerTypeInfo } from '../../../../shared/domain';
import { euro } from '../../lib/format';

function priceIn(t: ServerTypeInfo, region: string): string {
  const here = t.prices.find((p) => p.location === region);
  if (here) return `${euro(here.monthlyGross)}/mo`;
  const cheapest = [...t.prices].sort((a, b) => Number(a.monthlyGross) - Number(b.monthlyGross))[0];
  return cheapest ? `from ${euro(cheapest.monthlyGross)}/mo` : '—';
}

export function ServerTypeCards({ types, region, value, onChange, error }: { types: ServerTypeInfo[]; region: string; value: string; onChange(name: string): void; error?: string | undefined }) {
  return (
    <fieldset className="picker">
      <legend>Server type</legend>
      <div className="option-cards types" role="radiogroup" aria-label="Server type">
        {types.map((t) => (
          <label key={t.name} className={`option-card${value === t.name ? ' chosen' : ''}`}>
            <input type="radio" name="serverType" value={t.name} checked={value === t.name} onChange={() => onChange(t.name)} aria-label={`${t.name}: ${t.cores} vCPU, ${t.memoryGb} GB RAM, ${t.diskGb} GB disk`} />
            <span className="option-title">{t.name}</span>
            <span className="muted small">
              {t.cores} vCPU · {t.memoryGb} GB · {t.diskGb} GB · {t.architecture}
            </span>
            <span className="option-price">{priceIn(t, region)}</span>
          </label>
        ))}
      </div>
      {error ? <span className="field-error">{error}</span> : null}
    </fieldset>
  );
}
