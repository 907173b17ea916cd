// The desktop app as a client of a team server (`outpost serve`): see connection.ts and route.ts.
export { callTeam, unreachable, DEFAULT_TEAM_TIMEOUT_MS, type FetchLike, type TeamEndpoint, type TeamCallOptions } from './call';
export { TeamConnection, TEAM_URL_SETTING, type TeamConnectionOptions, type TeamTokenStore } from './connection';
export { subscribeTeamEvents, type TeamEvents, type TeamEventsOptions } from './events';
export { remoteHandlers } from './remote-handlers';
export { LOCAL_CHANNELS, routeToTeam } from './route';
export { parseTeamUrl, serverName } from './url';
