// The Jobs page lists a batch once: its jobs gathered into one entry where its newest job stands.
import { isTerminalStatus, type Job } from '../../../../shared/domain';

export type JobEntry = { kind: 'job'; id: string; job: Job } | { kind: 'group'; id: string; jobs: Job[] };

export function jobEntries(jobs: readonly Job[]): JobEntry[] {
  const groups = new Map<string, Job[]>();
  for (const j of jobs) if (j.groupId) groups.set(j.groupId, [...(groups.get(j.groupId) ?? []), j]);
  const out: JobEntry[] = [];
  const placed = new Set<string>();
  for (const job of jobs) {
    if (!job.groupId) out.push({ kind: 'job', id: job.id, job });
    else if (!placed.has(job.groupId)) {
      placed.add(job.groupId);
      // Oldest first inside the card, the order the VMs were recorded in.
      out.push({ kind: 'group', id: job.groupId, jobs: [...groups.get(job.groupId)!].reverse() });
    }
  }
  return out;
}

/** A group is running while any of its jobs is. */
export const entryRunning = (e: JobEntry): boolean => (e.kind === 'job' ? !isTerminalStatus(e.job.status) : e.jobs.some((j) => !isTerminalStatus(j.status)));

export const entryHas = (e: JobEntry, jobId: string | null | undefined): boolean => (e.kind === 'job' ? e.id === jobId : e.jobs.some((j) => j.id === jobId));
