// `Handlers` for every channel, each one a POST to the team server: the desktop's services when it is a
// team client. The server identifies the user by the token and enforces their role and audit; the
// CallContext of the local caller is not sent (the server would not trust it anyway).
import { CHANNELS, type Channel } from '../../../shared/contract';
import type { Handlers } from '../dispatch';
import { callTeam, type TeamCallOptions } from './call';

export function remoteHandlers(url: string, token: string, options: TeamCallOptions = {}): Handlers {
  const endpoint = { url, token };
  const forward = (channel: Channel) => (request: unknown) => callTeam(endpoint, channel, request, options);
  return Object.fromEntries(CHANNELS.map((channel) => [channel, forward(channel)])) as unknown as Handlers;
}
