// Fleet sync: drift (in the store, gone from the cloud) and orphans (in the cloud with Outpost's
// label, unknown to the store). fleet:sync reads only; it is allowed in every role.
import { useState } from 'react';
import type { FleetSyncSummary } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dateTime } from '../../lib/format';
import { useChannel } from '../../queries/use-channel';
import { syncState, syncStatusText } from './sync-state';

function Orphans({ summary, onClose }: { summary: FleetSyncSummary; onClose(): void }) {
  return (
    <Dialog title="Orphan servers" description="Servers labelled outpost.managed in Hetzner that the store does not know. They cost money: check, then delete them in the Hetzner console." onClose={onClose} wide>
      <table className="simple-table" aria-label="Orphans">
        <thead>
          <tr>
            <th>Server</th>
            <th>Name</th>
            <th>Status</th>
            <th>Created</th>
            <th>Job label</th>
          </tr>
        </thead>
        <tbody>
          {summary.unowned.map((o) => (
            <tr key={o.serverId}>
              <td className="mono">{o.serverId}</td>
              <td>{o.name}</td>
              <td>{o.status}</td>
              <td>{dateTime(o.created)}</td>
              <td className="mono">{o.jobId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

export function FleetSyncBar({ driftCount }: { driftCount: number }) {
  // A sync costs cloud API calls: it runs when the operator asks. The background sync in core
  // updates rows (status, IPs, drift) through instance:changed on its own.
  const sync = useChannel('fleet:sync', {}, { enabled: false, staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false });
  const [showOrphans, setShowOrphans] = useState(false);
  const state = syncState(sync);
  // Counts from the last sync are shown only while it is the latest word (not next to a failure).
  const orphans = state.kind === 'synced' ? (sync.data?.unowned.length ?? 0) : 0;
  return (
    <div className="sync-bar" aria-label="Fleet sync" role="group">
      <span className="muted" role="status" data-state={state.kind}>
        {syncStatusText(state)}
      </span>
      {/* Drift is counted from the rows (kept current by events), never restated from a sync's summary. */}
      {driftCount > 0 ? <Badge tone="bad">{`${driftCount} drifted`}</Badge> : null}
      {orphans > 0 ? (
        <button type="button" className="badge badge-warn badge-button" onClick={() => setShowOrphans(true)}>
          {orphans} {orphans === 1 ? 'orphan' : 'orphans'}
        </button>
      ) : null}
      <button type="button" className="btn btn-small" disabled={sync.isFetching} onClick={() => void sync.refetch()}>
        Sync now
      </button>
      {state.kind === 'failed' ? <ErrorNotice title="Fleet sync failed" error={state.error} /> : null}
      {showOrphans && sync.data ? <Orphans summary={sync.data} onClose={() => setShowOrphans(false)} /> : null}
    </div>
  );
}
