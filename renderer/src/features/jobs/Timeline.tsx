// A job's steps as horizontal bars on one time axis: where each step started and how long it took.
import { stepLabel } from '../../lib/format';
import { useDuration } from '../../lib/use-duration';
import type { StepView } from './job-steps';

export function Timeline({ steps, totalMs, label }: { steps: StepView[]; totalMs: number; label: string }) {
  const formatDuration = useDuration();
  const scale = Math.max(totalMs, ...steps.map((s) => (s.offsetMs ?? 0) + (s.durationMs ?? 0)), 1);
  return (
    <ol className="timeline" aria-label={label}>
      {steps.map((s) => {
        const left = ((s.offsetMs ?? 0) / scale) * 100;
        const width = s.durationMs === null ? 0 : Math.max((s.durationMs / scale) * 100, 0.6);
        const running = `${formatDuration(s.durationMs)} so far${s.waiting ? ` · ${s.waiting}` : ''}`;
        const text = s.state === 'pending' ? 'waiting' : s.state === 'running' ? running : formatDuration(s.durationMs);
        return (
          <li key={s.name} className={`timeline-row step-${s.state}`} aria-label={`${stepLabel(s.name)}: ${s.state}, ${text}`}>
            <span className="timeline-name">
              <span className={`step-dot dot-${s.state}`} aria-hidden="true" />
              {stepLabel(s.name)}
            </span>
            <span className="timeline-track" aria-hidden="true">
              {s.offsetMs !== null ? <span className={`timeline-bar bar-${s.state}`} style={{ left: `${Math.min(left, 99.4)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.4))}%` }} /> : null}
            </span>
            <span className="timeline-time">{text}</span>
          </li>
        );
      })}
    </ol>
  );
}
