// "Sync fleet now" from the palette: the same fleet:sync query the Fleet's sync bar shows (so its
// state reads the same wherever the sync was asked for), and a toast with the outcome, since the
// operator may be on another page.
import { useQueryClient } from '@tanstack/react-query';
import type { FleetSyncSummary } from '../../../../shared/domain';
import type { OutpostError } from '../../../../shared/errors';
import { getApi } from '../../api';
import { channelKey } from '../../queries/use-channel';
import { useToasts } from '../../stores/toasts';
import { syncStatusText } from '../fleet/sync-state';

export function useSyncNow(): () => void {
  const client = useQueryClient();
  return () => {
    void client
      .fetchQuery<FleetSyncSummary, OutpostError>({ queryKey: channelKey('fleet:sync', {}), queryFn: () => getApi().call('fleet:sync', {}), staleTime: 0 })
      .then((s) => {
        // A sync may adopt VMs and find unowned servers: the lists that show them are read again.
        for (const c of ['unowned:list', 'instances:page'] as const) void client.invalidateQueries({ queryKey: channelKey(c) });
        useToasts.getState().push({ group: 'fleet-sync', tone: 'ok', title: 'Fleet synced', body: syncStatusText({ kind: 'synced', at: s.at, devicesUnavailable: s.devices === 'failed' }) });
      })
      .catch((error: OutpostError) => {
        useToasts.getState().push({ group: 'fleet-sync', tone: 'bad', title: 'Fleet sync failed', body: error.hint ? `${error.message} ${error.hint}` : error.message });
      });
  };
}
