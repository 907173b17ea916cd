// Events are hints, the store is the truth (DESIGN §2): an event invalidates the queries it
// affects and react-query re-reads them, so a missed or reordered event can never leave the
// screen wrong for longer than the next refetch.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getApi } from '../api';
import { channelKey } from './use-channel';

export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const api = getApi();
    const offs = [
      api.on('instance:changed', () => {
        void client.invalidateQueries({ queryKey: channelKey('instances:list') });
        void client.invalidateQueries({ queryKey: channelKey('regions:list') });
      }),
      api.on('job:progress', () => {
        void client.invalidateQueries({ queryKey: channelKey('instances:list') });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);
}
