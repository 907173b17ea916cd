// Retry of a failed provision = a new provision with the same parameters (the failed instance's
// region, type, image, agent and customer). The name is generated afresh.
import type { Job } from '../../../../shared/domain';
import { getApi } from '../../api';
import { useChannelMutation } from '../../queries/use-channel';

export function useRetry() {
  const start = useChannelMutation('provision:start', ['jobs:list', 'instances:list']);
  const retry = async (job: Job) => {
    if (!job.instanceId) throw new Error('This job has no instance to copy the parameters from.');
    const { instance } = await getApi().call('instances:get', { instanceId: job.instanceId });
    return start.mutateAsync({
      region: instance.region,
      serverType: instance.serverType,
      image: instance.image,
      agentName: instance.agentName,
      ...(instance.customer ? { customer: instance.customer } : {}),
    });
  };
  return { retry, state: start };
}
