// A batch (Provision with a quantity) as one card: its own progress (n of N done, how many failed,
// how many still running) and each VM's job, expandable to its full card.
import { useState } from 'react';
import { isTerminalStatus, type Instance, type Job } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { useUi } from '../../stores/ui';
import { JobCard } from './JobCard';
import { ProgressBar } from './ProgressBar';

export interface GroupSummary {
  total: number;
  succeeded: number;
  /** Failed or cancelled: ended without a VM. */
  failed: number;
  running: number;
}

export function groupSummary(jobs: readonly Job[]): GroupSummary {
  const succeeded = jobs.filter((j) => j.status === 'succeeded').length;
  const ended = jobs.filter((j) => isTerminalStatus(j.status)).length;
  return { total: jobs.length, succeeded, failed: ended - succeeded, running: jobs.length - ended };
}

export interface GroupCardProps {
  groupId: string;
  jobs: readonly Job[];
  byId?: ReadonlyMap<string, Instance> | undefined;
  /** A job the palette asked to show: its row starts expanded. */
  reveal?: string | null | undefined;
}

export function GroupCard({ groupId, jobs, byId, reveal }: GroupCardProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(reveal && jobs.some((j) => j.id === reveal) ? [reveal] : []));
  const select = useUi((s) => s.select);
  const s = groupSummary(jobs);
  const title = `Provision ${s.total} VMs`;
  const tone = s.failed > 0 ? 'bad' : s.running > 0 ? 'run' : 'ok';
  const status = `${s.succeeded} of ${s.total} done${s.failed ? ` · ${s.failed} failed` : ''}${s.running ? ` · ${s.running} running` : ''}`;
  const toggle = (id: string) => setOpen((prev) => (prev.has(id) ? new Set([...prev].filter((x) => x !== id)) : new Set([...prev, id])));
  return (
    <article className={`job-card job-group${s.failed ? ' job-failed' : ''}`} aria-label={`${title}: ${status}`} id={`group-${groupId}`}>
      <header className="job-head">
        <div>
          <h3>{title}</h3>
          <p className="muted small">
            one batch · <span className="mono">{groupId}</span>
          </p>
        </div>
        <p className="job-status small" role="status">
          {status}
        </p>
      </header>
      <ProgressBar value={s.total ? (s.succeeded + s.failed) / s.total : 0} tone={tone} label={`${title}: ${status}`} />
      <ul className="group-jobs" aria-label={`Jobs of ${title}`}>
        {jobs.map((j) => {
          const instance = j.instanceId ? byId?.get(j.instanceId) : undefined;
          const name = instance?.name ?? j.instanceId ?? j.id;
          const expanded = open.has(j.id);
          return (
            <li key={j.id}>
              <div className="group-job-row">
                <button type="button" className="link" aria-expanded={expanded} aria-controls={`group-job-${j.id}`} onClick={() => toggle(j.id)}>
                  {expanded ? '▾' : '▸'} {name}
                </button>
                <Badge>{j.status}</Badge>
                {j.instanceId && instance ? (
                  <button type="button" className="link small" onClick={() => select(j.instanceId)}>
                    Open VM
                  </button>
                ) : null}
              </div>
              {expanded ? (
                <div id={`group-job-${j.id}`}>
                  <JobCard jobId={j.id} instance={instance} follow="drawer" />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </article>
  );
}
