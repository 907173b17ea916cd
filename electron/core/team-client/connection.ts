// The desktop's link to a team server: the URL (settings), the API token (vault), whether the server
// answers, and the remote handlers while connected. Solo mode is "no URL saved": nothing here runs.
// Connecting checks the token with one call (the server's app:info) before anything is saved, so a
// refused or unreachable server keeps the old link, answering the check's own typed error.
import type { TeamStatus } from '../../../shared/team';
import { OutpostError } from '../../../shared/errors';
import type { Handlers } from '../dispatch';
import { silentLogger, type Logger } from '../log';
import type { EventSink, SettingsStore } from '../ports';
import { registerSecret } from '../redact';
import { callTeam, type FetchLike } from './call';
import { subscribeTeamEvents, type TeamEvents, type TeamEventsOptions } from './events';
import { remoteHandlers } from './remote-handlers';
import { parseTeamUrl, serverName } from './url';

/** The settings key of the server's origin (not secret; the token is in the vault). */
export const TEAM_URL_SETTING = 'teamServerUrl';

/** The vault entry, as TokenService.teamToken exposes it: write-only outward. */
export interface TeamTokenStore {
  stored(): boolean;
  reveal(): Promise<string | null>;
  set(value: string): Promise<void>;
  clear(): Promise<void>;
}

export interface TeamConnectionOptions {
  settings: SettingsStore;
  token: TeamTokenStore;
  /** Where the server's events go (the desktop's own sink). */
  events: EventSink;
  log?: Logger;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Event stream tuning (tests shorten the pauses). */
  stream?: Pick<TeamEventsOptions, 'backoffMs' | 'maxBackoffMs' | 'idleMs'>;
  now?: () => number;
}

export class TeamConnection {
  private remote: Handlers | null = null;
  private stream: TeamEvents | null = null;
  private reachable: boolean | null = null;
  private message: string | null = null;
  private checkedAt: string | null = null;
  private role: TeamStatus['role'] = null;
  private readonly log: Logger;

  constructor(private readonly options: TeamConnectionOptions) {
    this.log = options.log ?? silentLogger;
  }

  /** The saved server, or null (solo mode). */
  get url(): string | null {
    const saved = this.options.settings.get<string>(TEAM_URL_SETTING);
    return typeof saved === 'string' && saved.length > 0 ? saved : null;
  }

  /** A server is saved: the shared channels go there (and fail there, never quietly to the local store). */
  get active(): boolean {
    return this.url !== null;
  }

  status(): TeamStatus {
    const url = this.url;
    const tokenStored = this.options.token.stored();
    return { url, tokenStored, connected: url !== null && tokenStored, reachable: this.reachable, message: this.message, role: this.role, checkedAt: this.checkedAt };
  }

  /** Starts the client for the saved link (at start-up). Never throws: a problem shows in status(). */
  async start(): Promise<void> {
    const url = this.url;
    if (url === null) return;
    let token: string | null = null;
    try {
      token = await this.options.token.reveal();
    } catch (err) {
      this.log.warn('team client: the API token could not be read from the vault', { code: err instanceof OutpostError ? err.code : 'internal' });
    }
    if (token === null) {
      this.note(false, `The API token for ${serverName(url)} could not be read from the vault. Connect again in Settings → Team server.`);
      return;
    }
    this.open(url, token);
  }

  /** The handlers that forward to the server; throws `unavailable` while a link is saved but unusable. */
  handlers(): Handlers {
    if (this.remote) return this.remote;
    const url = this.url;
    throw new OutpostError('unavailable', this.message ?? `The team server ${url ? serverName(url) : ''} is not connected.`, {
      hint: 'Connect again in Settings → Team server, or disconnect to work on this computer alone.',
    });
  }

  async connect(rawUrl: string, token: string): Promise<TeamStatus> {
    registerSecret(token); // whatever happens next, the logger never prints it
    const url = parseTeamUrl(rawUrl);
    // The check: the server's app:info as this token's user. Its error (unauthorized, unavailable) is the answer.
    const info = await callTeam({ url, token }, 'app:info', {}, { fetch: this.options.fetch, timeoutMs: this.options.timeoutMs });
    await this.options.token.set(token);
    this.options.settings.set(TEAM_URL_SETTING, url);
    this.stop();
    this.role = info.role;
    this.note(true, null);
    this.open(url, token);
    this.log.info('team client: connected', { server: serverName(url), role: info.role });
    return this.status();
  }

  async disconnect(): Promise<TeamStatus> {
    this.stop();
    this.options.settings.set(TEAM_URL_SETTING, null);
    await this.options.token.clear();
    this.reachable = null;
    this.message = null;
    this.checkedAt = null;
    this.role = null;
    this.log.info('team client: disconnected (solo mode)');
    return this.status();
  }

  close(): void {
    this.stop();
  }

  private open(url: string, token: string): void {
    const onReachability = (reachable: boolean, message: string | null) => this.note(reachable, message);
    this.remote = remoteHandlers(url, token, { fetch: this.options.fetch, timeoutMs: this.options.timeoutMs, onReachability });
    this.stream = subscribeTeamEvents({ url, token }, this.options.events, { fetch: this.options.fetch, log: this.log, onReachability, ...this.options.stream });
  }

  private stop(): void {
    this.stream?.close();
    this.stream = null;
    this.remote = null;
  }

  private note(reachable: boolean, message: string | null): void {
    if (reachable !== this.reachable) {
      this.checkedAt = new Date((this.options.now ?? Date.now)()).toISOString();
      if (this.reachable !== null || !reachable) this.log[reachable ? 'info' : 'warn']('team client: server reachability changed', { reachable, message });
    }
    this.reachable = reachable;
    this.message = reachable ? null : message;
  }
}
