// Small display helpers shared by every page. Pure functions: no React, no api.

/** "950 ms", "12.3 s", "4 min 05 s", "2 h 10 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/**
 * A real duration shown as the simulated time it stands for when the sandbox runs scaled, with the
 * scale: 5.1 s at 0.05 reads "≈1 min 42 s simulated, ×20". Unscaled (live, or scale 1): as is.
 */
export function simulatedDuration(ms: number | null | undefined, timeScale: number | null | undefined): string {
  if (!timeScale || timeScale === 1 || ms === null || ms === undefined || !Number.isFinite(ms)) return formatDuration(ms);
  const factor = 1 / timeScale;
  return `≈${formatDuration(ms * factor)} simulated, ×${Number(factor.toPrecision(3))}`;
}

/** Compact age of a timestamp: "5m", "3h", "2d". */
export function age(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

const COUNT = new Intl.NumberFormat();

/** "1,234" in the page's locale. One formatter for every call: toLocaleString builds a new one each time. */
export const formatCount = (n: number): string => COUNT.format(n);

/** Hetzner gross prices are strings with many decimals: "4.5101000000" → "€4.51". */
export function euro(gross: string | null | undefined): string {
  if (gross === null || gross === undefined || gross === '') return '—';
  const n = Number(gross);
  return Number.isFinite(n) ? `€${n.toFixed(2)}` : '—';
}

export function money(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export const stepLabel = (step: string): string => step.replace(/_/g, ' ');
