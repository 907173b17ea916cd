// The one HTTP helper of the team client: POST <server>/rpc/<channel> with the bearer token, a time
// limit, and the answer checked against the contract. What comes back is what a local call would give:
// the data, or the server's OutpostError as it sent it. A server that cannot be reached (or answers
// something that is not Outpost) is `unavailable`, naming the server — never the token, never the
// network library's own text (which may quote anything).
import { channels, type Channel, type Res } from '../../../shared/contract';
import { isErrorCode, OutpostError, type ErrorBody } from '../../../shared/errors';
import { isMutating } from '../../../shared/permissions';
import { serverName } from './url';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TeamEndpoint {
  /** The server's origin (url.ts parseTeamUrl). */
  url: string;
  token: string;
}

export interface TeamCallOptions {
  fetch?: FetchLike;
  /** Default 30 s: longer than any call takes on a healthy server (provision:start answers once recorded). */
  timeoutMs?: number;
  /** Told after each call whether the server answered (an error envelope is an answer). */
  onReachability?: (reachable: boolean, message: string | null) => void;
}

export const DEFAULT_TEAM_TIMEOUT_MS = 30_000;
const HINT = 'Check your network and the address in Settings → Team server; nothing was changed on the server by this call unless it says so.';

export function unreachable(url: string, why: string): OutpostError {
  return new OutpostError('unavailable', `The team server ${serverName(url)} cannot be reached: ${why}.`, { hint: HINT });
}

const isEnvelope = (v: unknown): v is { ok: true; data: unknown } | { ok: false; error: ErrorBody } =>
  typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';

const errorBody = (v: unknown): ErrorBody | null => {
  if (typeof v !== 'object' || v === null) return null;
  const { code, message } = v as { code?: unknown; message?: unknown };
  return isErrorCode(code) && typeof message === 'string' ? (v as ErrorBody) : null;
};

const isStaleSocket = (err: unknown): boolean => (err as { cause?: { code?: unknown } } | null)?.cause?.code === 'UND_ERR_SOCKET';

export async function callTeam<C extends Channel>(endpoint: TeamEndpoint, channel: C, request: unknown, options: TeamCallOptions = {}): Promise<Res<C>> {
  const report = options.onReachability ?? (() => undefined);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  let text: string;
  const send = () =>
    doFetch(`${endpoint.url}/rpc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${endpoint.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request ?? {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TEAM_TIMEOUT_MS),
      redirect: 'error', // a redirect could carry the token's request elsewhere
    });
  try {
    try {
      response = await send();
    } catch (err) {
      // A kept-alive connection the server closed meanwhile (an idle timeout, a restart) fails before
      // anything is read. A read is simply sent again; a change is not (it may have arrived).
      if (isMutating(channel) || !isStaleSocket(err)) throw err;
      response = await send();
    }
    text = await response.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const error = unreachable(endpoint.url, timedOut ? 'no answer in time' : 'the connection failed');
    report(false, error.message);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isEnvelope(body)) {
    // A proxy's error page, a server that is not Outpost: the server as such is not usable.
    const error = unreachable(endpoint.url, `it answered HTTP ${response.status} without an Outpost answer`);
    report(false, error.message);
    throw error;
  }
  report(true, null);
  if (!body.ok) {
    const error = errorBody(body.error);
    throw error ? OutpostError.fromBody(error) : new OutpostError('internal', `The team server ${serverName(endpoint.url)} refused ${channel} without saying why.`);
  }
  const parsed = channels[channel].res.safeParse(body.data);
  if (!parsed.success) {
    throw new OutpostError('internal', `The team server ${serverName(endpoint.url)} answered ${channel} in a form this Outpost does not know.`, {
      hint: 'Use the same Outpost version on the desktop and the server.',
    });
  }
  return parsed.data as Res<C>;
}
