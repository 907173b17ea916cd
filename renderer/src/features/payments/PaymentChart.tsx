// Payment → enrolled times against the 5-minute target, drawn in SVG (no chart library). The
// numbers are in the aria-label, so the chart reads as a sentence to a screen reader.
import { PAYMENT_TO_ENROLLED_TARGET_MS, type Payment } from '../../../../shared/domain';
import { formatDuration } from '../../lib/format';

export const TARGET_MS = PAYMENT_TO_ENROLLED_TARGET_MS;
const W = 560;
const H = 140;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };

export function PaymentChart({ payments }: { payments: Payment[] }) {
  const done = payments
    .filter((p) => p.timeToEnrolledMs !== null)
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
    .slice(-30);
  if (done.length === 0) return null;
  const max = Math.max(TARGET_MS * 1.2, ...done.map((p) => p.timeToEnrolledMs!));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const y = (ms: number) => PAD.top + innerH - (ms / max) * innerH;
  const slot = innerW / done.length;
  const barW = Math.max(4, Math.min(28, slot * 0.7));
  const within = done.filter((p) => p.timeToEnrolledMs! <= TARGET_MS).length;
  const label = `Payment to enrolled, last ${done.length}: ${done.map((p) => `${p.reference} ${formatDuration(p.timeToEnrolledMs)}`).join(', ')}. ${within} of ${done.length} within the 5-minute target.`;
  return (
    <figure className="chart">
      <figcaption>
        <strong>Payment → enrolled</strong>{' '}
        <span className="muted">
          {within}/{done.length} within the 5-minute target
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        <line className="chart-axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        <text className="chart-tick" x={PAD.left - 6} y={y(0)} textAnchor="end" dominantBaseline="middle">0</text>
        <text className="chart-tick" x={PAD.left - 6} y={y(TARGET_MS)} textAnchor="end" dominantBaseline="middle">5 min</text>
        {done.map((p, i) => {
          const ms = p.timeToEnrolledMs!;
          const x = PAD.left + slot * i + (slot - barW) / 2;
          return (
            <rect key={p.id} className={ms <= TARGET_MS ? 'chart-bar ok' : 'chart-bar late'} x={x} y={Math.min(y(ms), y(0) - 3)} width={barW} height={Math.max(3, y(0) - y(ms))} rx={2}>
              <title>{`${p.reference}: ${formatDuration(ms)}`}</title>
            </rect>
          );
        })}
        <line className="chart-target" x1={PAD.left} x2={W - PAD.right} y1={y(TARGET_MS)} y2={y(TARGET_MS)} />
        <text className="chart-tick" x={W - PAD.right} y={y(TARGET_MS) - 4} textAnchor="end">target</text>
      </svg>
    </figure>
  );
}
