export function ProgressBar({ value, label, tone }: { value: number; label: string; tone: 'ok' | 'bad' | 'run' | 'neutral' }) {
  const pct = Math.round(value * 100);
  return (
    <div className={`progress progress-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <span className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
