// One job, live: status, progress, per-step elapsed time; when it failed, the failed step, the
// error with what to do, what was cleaned up, and Retry. A job is retried once: after that the card
// links to its retry (and the retry to it), Retry is gone, and the UI follows the new job.
import { useState } from 'react';
import { isTerminalStatus, type Instance } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { dateTime, stepLabel } from '../../lib/format';
import { useDuration } from '../../lib/use-duration';
import { useNow } from '../../lib/use-now';
import { useChannel, useChannelMutation } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { cleanupsOf, describeCleanup, elapsedOf, failureHintOf, notesOf, progressOf, stepsOf } from './job-steps';
import { ProgressBar } from './ProgressBar';
import { Timeline } from './Timeline';
import { useRetry } from './use-retry';

export interface JobCardProps {
  jobId: string;
  instance?: Instance | undefined;
  compact?: boolean;
  /** What was asked for, when the instance is not at hand (the provision and payment dialogs). */
  request?: { serverType: string; region: string } | undefined;
  /**
   * Where a retry is followed: `in-place` (default; dialogs showing one job) switches this card to the
   * new job; `drawer` (lists, where the new job gets its own card) opens the new VM's panel.
   */
  follow?: 'in-place' | 'drawer';
}

export function JobCard({ jobId: initialJobId, instance: initialInstance, compact, request, follow = 'in-place' }: JobCardProps) {
  const [jobId, setJobId] = useState(initialJobId);
  const instance = jobId === initialJobId ? initialInstance : undefined;
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const detail = useChannel('jobs:get', { jobId });
  const terminal = detail.data ? isTerminalStatus(detail.data.job.status) : false;
  const now = useNow(500, !terminal);
  const cancel = useChannelMutation('provision:cancel', ['jobs:list', 'jobs:get']);
  const { retry, state: retrying } = useRetry();
  const select = useUi((s) => s.select);
  const formatDuration = useDuration();
  const followJob = (next: { jobId: string; instanceId: string }) => (follow === 'in-place' ? setJobId(next.jobId) : select(next.instanceId));
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
  const retriable = job.kind === 'provision' && (job.status === 'failed' || job.status === 'cancelled') && !job.retriedBy;
  const showJob = (id: string) => (follow === 'in-place' ? setJobId(id) : document.getElementById(`job-${id}`)?.scrollIntoView({ block: 'nearest' }));
  const title = `${job.kind === 'destroy' ? 'Destroy' : 'Provision'} ${name}`;
  return (
    <article className={`job-card job-${job.status}`} aria-label={title} id={`job-${job.id}`}>
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
            {job.retryOf ? (
              <>
                {' · retry of '}
                <button type="button" className="link mono" onClick={() => showJob(job.retryOf!)}>
                  {job.retryOf}
                </button>
              </>
            ) : null}
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
      {job.status === 'cancelled' ? (
        <p role="status" className="job-outcome">
          Cancelled{job.error?.step ? ` during ${stepLabel(job.error.step)}` : ''}; everything it had created was removed.
        </p>
      ) : job.error ? (
        <ErrorNotice
          title={`Failed at ${stepLabel(job.error.step)}`}
          error={{ ...job.error, step: job.error.step, hint: failureHintOf(events) }}
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
        {!terminal && job.kind === 'provision' && !confirmingCancel ? (
          <GuardedButton channel="provision:cancel" className="btn" disabled={cancel.isPending || job.status === 'compensating'} onClick={() => setConfirmingCancel(true)}>
            Cancel
          </GuardedButton>
        ) : null}
        {retriable ? (
          <GuardedButton
            channel="jobs:retry"
            className="btn btn-primary"
            disabled={retrying.isPending}
            onClick={() => void retry(job).then(followJob, () => undefined)}
          >
            Retry
          </GuardedButton>
        ) : null}
        {job.retriedBy ? (
          <p className="muted small">
            Retried by{' '}
            <button type="button" className="link mono" onClick={() => (follow === 'in-place' ? setJobId(job.retriedBy!) : showJob(job.retriedBy!))}>
              {job.retriedBy}
            </button>
          </p>
        ) : null}
      </div>
      {confirmingCancel && !terminal ? (
        <div role="alertdialog" aria-label={`Cancel ${title}?`} className="confirm-panel">
          <p>Cancel this provision? Whatever it has created so far (server, tailnet device, key) is removed; a payment stays recorded and can be retried.</p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirmingCancel(false)}>
              Keep running
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ jobId: job.id }, { onSettled: () => setConfirmingCancel(false) })}
            >
              Cancel provision
            </button>
          </div>
        </div>
      ) : null}
      {cancel.error ? <ErrorNotice title="Could not cancel" error={cancel.error} /> : null}
      {retrying.error ? <ErrorNotice title="Retry failed" error={retrying.error} context={instance ? { serverType: instance.serverType, region: instance.region } : request} /> : null}
      {retrying.data ? <p role="status" className="muted">Retry started as job {retrying.data.jobId}.</p> : null}
    </article>
  );
}
