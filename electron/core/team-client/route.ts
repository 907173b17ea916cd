// Which channels a team client answers itself and which go to the server. LOCAL: the link to the
// server (it must work while the server cannot be reached, and its token never leaves this machine),
// and the desktop's own shell powers (this machine's data folder, restarting this app). Everything
// else — the fleet, jobs, payments, audit, settings, and the clouds' tokens, which are the server's
// vault in team mode — is forwarded, and the server enforces the user's role and writes the audit.
// Forwarded calls skip the local guard on purpose: the local role setting is not who the user is.
import type { AppInfo } from '../../../shared/domain';
import { CHANNELS, type Channel } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import type { CallContext, Handlers } from '../dispatch';
import type { TeamConnection } from './connection';
import { serverName } from './url';

export const LOCAL_CHANNELS = ['app:openDataDir', 'app:restart', 'team:status', 'team:connect', 'team:disconnect'] as const satisfies readonly Channel[];

const isLocal = (channel: Channel): boolean => (LOCAL_CHANNELS as readonly Channel[]).includes(channel);

/** The handlers the shells get: the local ones in solo mode (no server saved), the server's otherwise. */
export function routeToTeam(local: Handlers, team: TeamConnection): Handlers {
  const routed = {} as Record<Channel, (req: unknown, ctx: CallContext) => Promise<unknown>>;
  for (const channel of CHANNELS) {
    const own = local[channel] as (req: unknown, ctx: CallContext) => Promise<unknown>;
    if (isLocal(channel)) {
      routed[channel] = own;
      continue;
    }
    routed[channel] = async (request, ctx) => {
      if (!team.active) return own(request, ctx);
      const remote = team.handlers()[channel] as (req: unknown, ctx: CallContext) => Promise<unknown>;
      if (channel !== 'app:info') return remote(request, ctx);
      // The server says who the user is (role) and what it runs; this desktop says what its shell can do.
      const url = team.url as string;
      const here = (await own(request, ctx)) as AppInfo;
      let server: AppInfo;
      try {
        server = (await remote(request, ctx)) as AppInfo;
      } catch (err) {
        if (!(err instanceof OutpostError) || err.code !== 'unavailable') throw err;
        // The panel must still open (its banner, Settings → Team server to disconnect): this desktop's
        // answer, with the role last seen on the server; every other call keeps failing `unavailable`.
        return { ...here, role: team.status().role ?? here.role, notices: [err.message, ...here.notices] } satisfies AppInfo;
      }
      return {
        ...server,
        dataDir: here.dataDir,
        transport: here.transport,
        runtime: here.runtime,
        canOpenDataDir: here.canOpenDataDir,
        canRestart: here.canRestart,
        notices: [`Connected to the team server ${serverName(url)}: the fleet, jobs and payments are the team's.`, ...server.notices],
      } satisfies AppInfo;
    };
  }
  return routed as unknown as Handlers;
}
