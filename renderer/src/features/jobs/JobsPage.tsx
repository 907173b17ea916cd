import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { useRevealTarget } from '../palette/reveal';
import { GroupCard } from './GroupCard';
import { JobCard } from './JobCard';
import { entryHas, entryRunning, jobEntries, type JobEntry } from './job-groups';
import { instanceIdsOf, useInstancesById } from './use-job-instances';

const RECENT = 20;

export function JobsPage() {
  const jobs = useChannel('jobs:list', { limit: 200 });
  const open = useUi((s) => s.open);
  const [showAll, setShowAll] = useState(false);
  // A batch (Provision with a quantity) is one entry: running while any of its jobs runs.
  const entries = useMemo(() => jobEntries(jobs.data ?? []), [jobs.data]);
  const running = entries.filter(entryRunning);
  const finished = entries.filter((e) => !entryRunning(e));
  // A job the palette opened is shown even when it is older than the recent ones.
  const revealed = useRevealTarget('job', jobs.data);
  const expanded = showAll || finished.findIndex((e) => entryHas(e, revealed)) >= RECENT;
  const recent = expanded ? finished : finished.slice(0, RECENT);
  // The VMs of the cards shown, not the fleet's: "Show all" asks for the rest when it is pressed.
  const byId = useInstancesById([...running, ...recent].flatMap((e) => instanceIdsOf(e.kind === 'job' ? [e.job] : e.jobs)));
  const card = (e: JobEntry, compact: boolean) =>
    e.kind === 'group' ? (
      <GroupCard key={e.id} groupId={e.id} jobs={e.jobs} byId={byId} reveal={revealed} />
    ) : (
      <JobCard key={e.id} jobId={e.id} instance={e.job.instanceId ? byId.get(e.job.instanceId) : undefined} compact={compact && e.job.status === 'succeeded'} follow="drawer" />
    );
  return (
    <>
      <PageHeader title="Jobs" subtitle="Provisioning and destroy jobs, step by step, live.">
        <GuardedButton channel="provision:start" onClick={() => open('provision')} inlineReason={false}>
          Provision VM
        </GuardedButton>
      </PageHeader>
      {jobs.error ? <ErrorNotice title="Could not load the jobs" error={jobs.error} /> : null}
      {jobs.data && jobs.data.length === 0 ? (
        <EmptyState title="No jobs yet">
          <p>Provision a VM (Fleet → Provision VM) or record a payment (Payments → Record payment): its job appears here with the progress of each step, live.</p>
        </EmptyState>
      ) : null}
      {running.length > 0 ? (
        <section aria-label="Running jobs" className="job-section">
          <h2>Running ({running.length})</h2>
          <div className="job-list">
            {running.map((e) => card(e, false))}
          </div>
        </section>
      ) : null}
      {finished.length > 0 ? (
        <section aria-label="Recent jobs" className="job-section">
          <h2>Recent</h2>
          <div className="job-list">
            {recent.map((e) => card(e, true))}
          </div>
          {finished.length > RECENT && !expanded ? (
            <button type="button" className="btn" onClick={() => setShowAll(true)}>
              Show all {finished.length} finished jobs
            </button>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
