// team:status / connect / disconnect: the desktop's link to a team server (core/team-client). Only a
// desktop runtime has one; elsewhere (browser mode, the command, the team server itself) they are
// unavailable, so a server can never be told to forward to another one.
import type { ParsedReq } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import type { TeamStatus } from '../../../shared/team';
import type { TeamConnection } from '../team-client';

export function teamServices(team: TeamConnection | undefined) {
  const need = (): TeamConnection => {
    if (team) return team;
    throw new OutpostError('unavailable', 'Only the desktop app connects to a team server.', { hint: 'Use Settings → Team server in the Outpost desktop app.' });
  };
  return {
    'team:status': async (): Promise<TeamStatus> => need().status(),
    'team:connect': async (req: ParsedReq<'team:connect'>): Promise<TeamStatus> => need().connect(req.url, req.token),
    'team:disconnect': async (): Promise<TeamStatus> => need().disconnect(),
  };
}
