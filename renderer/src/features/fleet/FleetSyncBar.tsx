// Fleet sync: drift (in the store, gone from the cloud) and orphans (in the cloud with Outpost's
// label, unknown to the store). fleet:sync reads only; it is allowed in every role.
import { useState } from 'react';
import type { FleetSyncSummary } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dateTime } from '../../lib/format';
import { useChannel } from '../../queries/use-channel';

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
          {summary.orphans.map((o) => (
            <tr key={o.serverId}>
              <td className="mono">{o.serverId}</td>
              <td>{o.name}</td>
              <td>{o.status}</td>
              <td>{dateTime(o.created)}</td>
              <td className="mono">{o.labels['outpost.job'] ?? '—'}</td>
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
  const orphans = sync.data?.orphans.length ?? 0;
  return (
    <div className="sync-bar" aria-label="Fleet sync" role="group">
      <span className="muted" role="status">
        {sync.isFetching ? 'Syncing with Hetzner and Tailscale…' : sync.data ? `Synced ${dateTime(sync.data.at)}: ${sync.data.drifted.length} drifted, ${sync.data.orphans.length} orphans` : 'Drift and orphans: run a fleet sync'}
        {sync.data?.devices === 'failed' ? ' · device list unavailable' : ''}
      </span>
      {driftCount > 0 ? <Badge tone="bad">{`${driftCount} drifted`}</Badge> : null}
      {orphans > 0 ? (
        <button type="button" className="badge badge-warn badge-button" onClick={() => setShowOrphans(true)}>
          {orphans} {orphans === 1 ? 'orphan' : 'orphans'}
        </button>
      ) : null}
      <button type="button" className="btn btn-small" disabled={sync.isFetching} onClick={() => void sync.refetch()}>
        Sync now
      </button>
      {sync.error ? <ErrorNotice title="Fleet sync failed" error={sync.error} /> : null}
      {showOrphans && sync.data ? <Orphans summary={sync.data} onClose={() => setShowOrphans(false)} /> : null}
    </div>
  );
}
