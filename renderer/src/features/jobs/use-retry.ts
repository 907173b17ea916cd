// Retry of a failed provision: the same plan again as a new job (a fresh VM name); a payment stays
// linked to the retry, so it is fulfilled when the retry enrolls.
import type { Job } from '../../../../shared/domain';
import { useChannelMutation } from '../../queries/use-channel';

export function useRetry() {
  const retryJob = useChannelMutation('jobs:retry', ['jobs:list', 'jobs:get', 'instances:page', 'payments:list']);
  const retry = async (job: Job) => retryJob.mutateAsync({ jobId: job.id });
  return { retry, state: retryJob };
}
