// react-query over the contract: the query key is [channel, request], so every caller of the same
// channel with the same request shares one cache entry, and events can invalidate by channel.
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { Channel, Req, Res } from '../../../shared/contract';
import type { OutpostError } from '../../../shared/errors';
import { getApi } from '../api';

export const channelKey = <C extends Channel>(channel: C, request?: Req<C>) =>
  request === undefined ? [channel] : [channel, request];

export interface ChannelQueryOptions {
  enabled?: boolean;
  staleTime?: number;
  refetchInterval?: number | false;
  refetchOnWindowFocus?: boolean;
}

export function useChannel<C extends Channel>(
  channel: C,
  request: Req<C>,
  options: ChannelQueryOptions = {},
): UseQueryResult<Res<C>, OutpostError> {
  return useQuery<Res<C>, OutpostError>({
    queryKey: channelKey(channel, request),
    queryFn: () => getApi().call(channel, request),
    ...options,
  });
}

/**
 * A mutating call. After it settles the channels named in `invalidates` are re-read, and app:info
 * too: a `read_only` answer means the role changed underneath us.
 */
export function useChannelMutation<C extends Channel>(
  channel: C,
  invalidates: Channel[] = [],
): UseMutationResult<Res<C>, OutpostError, Req<C>> {
  const client = useQueryClient();
  return useMutation<Res<C>, OutpostError, Req<C>>({
    mutationFn: (request) => getApi().call(channel, request),
    onSettled: (_data, error) => {
      for (const c of invalidates) void client.invalidateQueries({ queryKey: channelKey(c) });
      if (error?.code === 'read_only') void client.invalidateQueries({ queryKey: channelKey('app:info') });
    },
  });
}
