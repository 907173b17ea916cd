// The desktop app as a team client: when the team server cannot be reached, every page says so (by the
// server's name, never the token) until it answers again. The main process learns it from every
// forwarded call and from the event stream; the panel asks it (team:status) every few seconds.
import type { AppInfo } from '../../../../shared/domain';
import { useChannel } from '../../queries/use-channel';

/** How often the panel asks; a failed call has already updated the answer in the main process. */
export const TEAM_STATUS_POLL_MS = 5000;

export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function TeamBanner({ info }: { info: AppInfo }) {
  // Only the desktop app (IPC) has a team link; browser mode and a team server's own panel do not.
  const status = useChannel('team:status', {}, { enabled: info.transport === 'ipc', refetchInterval: TEAM_STATUS_POLL_MS });
  const team = status.data;
  if (!team?.connected || team.reachable !== false || !team.url) return null;
  return (
    <div className="team-banner" role="alert" aria-label="Team server unreachable">
      <strong>The team server {hostOf(team.url)} cannot be reached.</strong> The fleet shown may be out of date, and changes fail until it answers again
      {team.checkedAt ? ` (since ${new Date(team.checkedAt).toLocaleTimeString()})` : ''}. Outpost keeps trying; Settings → Team server shows the connection.
    </div>
  );
}
