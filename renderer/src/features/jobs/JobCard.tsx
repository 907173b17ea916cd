// One job, live: status, progress, per-step elapsed time; when it failed, the failed step, the
// error with what to do, what was cleaned up, and Retry.
import type { Instance } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { formatDuration, dateTime, stepLabel } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useChannel, useChannelMutation } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { cleanupsOf, describeCleanup, elapsedOf, isTerminalStatus, notesOf, progressOf, stepsOf } from './job-steps';
import { ProgressBar } from './ProgressBar';
import { Timeline } from './Timeline';
import { useRetry } from './use-retry';

export interface JobCardProps {
  jobId: string;
  instance?: Instance | undefined;
  compact?: boolean;
  /** What was asked for, when the instance is not at hand (the provision and payment dialogs). */
  request?: { serverType: string; region: string } | undefined;
}

export function JobCard({ jobId, instance, compact, request }: JobCardProps) {
  const detail = useChannel('jobs:get', { jobId });
  const terminal = detail.data ? isTerminalStatus(detail.data.job.status) : false;
  const now = useNow(500, !terminal);
  const cancel = useChannelMutation('provision:cancel', ['jobs:list']);
  const { retry, state: retrying } = useRetry();
  const select = useUi((s) => s.select);
  if (detail.error) return <ErrorNotice title={`Could not load job ${jobId}`} error={detail.error} />;
  if (!detail.data) return <div className="job-card loading" aria-busy="true">Loading job…</div>;
  const { job, events } = detail.data;
  const steps = stepsOf(detail.data, now);
  const elapsed = elapsedOf(detail.data, now);
  const cleanups = cleanupsOf(events);
  const notes = notesOf(events);
  const named = events.find((e) => typeof e.data.name === 'string' && (e.type === 'job_created' || e.step === 'reserve'))?.data.name as string | undefined;
  const name = instance?.name ?? named ?? job.instanceId ?? job.id;
  const tone = job.status === 'succeeded' ? 'ok' : job.status === 'failed' ? 'bad' : terminal ? 'neutral' : 'run';
  const title = `${job.kind === 'destroy' ? 'Destroy' : 'Provision'} ${name}`;
  return (
    <article className={`job-card job-${job.status}`} aria-label={title}>
      <header className="job-head">
        <div>
          <h3>
            {job.kind === 'destroy' ? 'Destroy ' : 'Provision '}
            {job.instanceId ? (
              <button type="button" className="link" onClick={() => select(job.instanceId)}>
                {name}
              </button>
            ) : (
              name
            )}
          </h3>
          <p className="muted small">
            {dateTime(job.createdAt)} · <span className="mono">{job.id}</span>
            {job.paymentId ? ' · from a payment' : ''}
          </p>
        </div>
        <div className="job-status">
          <Badge>{job.status}</Badge>
          <span className="muted small" aria-label="Elapsed">
            {formatDuration(elapsed)}
          </span>
        </div>
      </header>
      <ProgressBar value={progressOf(detail.data, steps)} tone={tone} label={`${title}: ${job.status}${job.step && !terminal ? `, ${stepLabel(job.step)}` : ''}`} />
      {!compact || !terminal ? <Timeline steps={steps} totalMs={elapsed} label={`Steps of ${title}`} /> : null}
      {notes.length > 0 && !compact ? (
        <ul className="notes" aria-label="Notes">
          {notes.map((n, i) => (
            <li key={i}>
              {n.step ? <code>{n.step}</code> : null} {n.message}
            </li>
          ))}
        </ul>
      ) : null}
      {job.error ? (
        <ErrorNotice
          title={`Failed at ${stepLabel(job.error.step)}`}
          error={{ ...job.error, step: job.error.step }}
          context={instance ? { serverType: instance.serverType, region: instance.region } : request}
        />
      ) : null}
      {cleanups.length > 0 ? (
        <div className="cleanup">
          <h4>Cleaned up</h4>
          <ul aria-label="Cleanup">
            {cleanups.map((c) => (
              <li key={c.name}>✓ {describeCleanup(c)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="job-actions">
        {!terminal && job.kind === 'provision' ? (
          <GuardedButton channel="provision:cancel" className="btn" disabled={cancel.isPending || job.status === 'compensating'} onClick={() => cancel.mutate({ jobId: job.id })}>
            Cancel
          </GuardedButton>
        ) : null}
        {job.status === 'failed' && job.kind === 'provision' ? (
          <GuardedButton channel="provision:start" className="btn btn-primary" disabled={retrying.isPending} onClick={() => void retry(job).catch(() => undefined)}>
            Retry
          </GuardedButton>
        ) : null}
      </div>
      {cancel.error ? <ErrorNotice title="Could not cancel" error={cancel.error} /> : null}
      {retrying.error ? <ErrorNotice title="Retry failed" error={retrying.error} context={instance ? { serverType: instance.serverType, region: instance.region } : request} /> : null}
      {retrying.data ? <p role="status" className="muted">Retry started as job {retrying.data.jobId}.</p> : null}
    </article>
  );
}
