// For resource_unavailable: the locations in the same network zone where the type can be ordered.
import { useChannel } from '../queries/use-channel';
import { euro } from '../lib/format';

export function SameZoneAlternatives({ serverType, region }: { serverType: string; region: string }) {
  const regions = useChannel('regions:list', { serverType });
  const zone = regions.data?.find((r) => r.name === region)?.networkZone;
  if (!regions.data || !zone) return null;
  const options = regions.data.filter((r) => r.networkZone === zone && r.name !== region && r.offer?.available);
  return (
    <div className="alternatives">
      {options.length === 0 ? (
        <p>No other location in {zone} has {serverType} right now: choose another server type.</p>
      ) : (
        <>
          <p>
            {serverType} is available in the same zone ({zone}):
          </p>
          <ul aria-label="Same-zone alternatives">
            {options.map((r) => (
              <li key={r.name}>
                <strong>{r.name}</strong> — {r.city}, {r.country} · {euro(r.offer?.monthlyGross)}/mo
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
