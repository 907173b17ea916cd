// react-query over the contract: the query key is [channel, request], so every caller of the same
// channel with the same request shares one cache entry, and events can invalidate by channel.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Channel, Req, Res } from '../../../shared/contract';
import type { OutpostError } from '../../../shared/errors';
import { getApi } from '../api';

export const channelKey = <C extends Channel>(channel: C, request?: Req<C>) =>
  request === undefined ? [channel] : [channel, request];

export function useChannel<C extends Channel>(channel: C, request: Req<C>): UseQueryResult<Res<C>, OutpostError> {
  return useQuery<Res<C>, OutpostError>({
    queryKey: channelKey(channel, request),
    queryFn: () => getApi().call(channel, request),
  });
}
