// Fleet sync: drift (in the store, gone from the cloud) and unowned servers (in the cloud with
// Outpost's label, and no desktop will finish or remove them). fleet:sync reads the clouds (and adopts
// other desktops' VMs into this store); it is allowed in every role.
import { useQueryClient } from '@tanstack/react-query';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { channelKey, useChannel } from '../../queries/use-channel';
import { syncState, syncStatusText } from './sync-state';
import { UnownedButton } from './UnownedPanel';

export function FleetSyncBar({ driftCount }: { driftCount: number }) {
  // A sync costs cloud API calls: it runs when the operator asks. The background sync in core
  // updates rows (status, IPs, drift) through instance:changed on its own.
  const sync = useChannel('fleet:sync', {}, { enabled: false, staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false });
  const client = useQueryClient();
  const state = syncState(sync);
  // A sync may adopt VMs and find unowned servers: the lists that show them are read again.
  const syncNow = () =>
    void sync.refetch().then(() => {
      for (const c of ['unowned:list', 'instances:page'] as const) void client.invalidateQueries({ queryKey: channelKey(c) });
    });
  return (
    <div className="sync-bar" aria-label="Fleet sync" role="group">
      <span className="muted" role="status" data-state={state.kind}>
        {syncStatusText(state)}
      </span>
      {/* Drift is counted by the store (the fleet's windows, re-read as instances change), never restated from a sync's summary. */}
      {driftCount > 0 ? <Badge tone="bad">{`${driftCount} drifted`}</Badge> : null}
      <UnownedButton />
      <button type="button" className="btn btn-small" disabled={sync.isFetching} onClick={syncNow}>
        Sync now
      </button>
      {state.kind === 'failed' ? <ErrorNotice title="Fleet sync failed" error={state.error} /> : null}
    </div>
  );
}
