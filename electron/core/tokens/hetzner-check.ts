// Is this Hetzner Cloud token usable, and may it write? Two requests, neither of which changes
// anything in the project:
//
// 1. `GET /locations?per_page=1`: the cheapest authenticated read. 401 `unauthorized` → invalid.
// 2. `DELETE /servers/0`: Hetzner checks the token's permission before it looks at the resource
//    (reference hetzner-cloud-api.md §1/§6: "a read-only token used on a non-GET request gives
//    401 token_readonly"), so a read-only token is refused with `token_readonly`, while a
//    read-write token reaches routing and gets 404 `not_found` (or 400/422 `invalid_input`): IDs
//    start at 1 (spec: `minimum: 1`), so no server can ever have id 0 and nothing can be deleted.
//    The simulator implements the same order (electron/sim/hetzner/router.ts: auth and the
//    read-only refusal come before findRoute). Creating something (an SSH key) would tell the
//    same, but would leave a trace in the operator's project if the cleanup failed.
//
// Hetzner has no endpoint that names the token's project, so the result carries none.
import { OutpostError } from '../../../shared/errors';
import { HetznerClient, HetznerError } from '../hetzner';
import { checkedAt, checkTransport, hostOf, looksLikeToken, scrub, type CheckOptions } from './common';

export type HetznerCheckStatus = 'valid' | 'read_only' | 'invalid' | 'unreachable';

export interface HetznerTokenCheck {
  status: HetznerCheckStatus;
  message: string;
  checkedAt: string;
  /** Set when the token was accepted: `write` is false for a read-only token. */
  capabilities?: { read: boolean; write: boolean };
}

export async function checkHetznerToken(baseUrl: string, token: string, opts: CheckOptions = {}): Promise<HetznerTokenCheck> {
  const at = checkedAt(opts);
  const result = (status: HetznerCheckStatus, message: string, write?: boolean): HetznerTokenCheck => {
    const r: HetznerTokenCheck = { status, message: scrub(message, [token]), checkedAt: at };
    if (write !== undefined) r.capabilities = { read: true, write };
    return r;
  };
  const host = hostOf(baseUrl);
  if (host === null) return result('unreachable', 'The Hetzner API address is not a valid URL.');
  if (!looksLikeToken(token)) {
    return result('invalid', 'This is not a Hetzner API token: it is empty or contains spaces, line breaks or other characters tokens never have.');
  }

  const client = new HetznerClient({ token, ...checkTransport(baseUrl, opts) });

  try {
    await client.http.get('/locations', { query: { per_page: 1 }, priority: 'mutation', signal: opts.signal });
  } catch (err) {
    return result(...describeFailure(err, host, 'read'));
  }

  try {
    await client.http.request('DELETE', '/servers/0', { priority: 'mutation', signal: opts.signal });
    // Cannot happen (there is no server 0); if an API ever answers 2xx, it accepted a mutation.
    return result('valid', 'The token is valid and may create and delete servers.', true);
  } catch (err) {
    if (err instanceof HetznerError && err.apiCode === 'token_readonly') {
      return result('read_only', 'The token is valid but read-only: Outpost can show the fleet, not change it (support mode).', false);
    }
    if (err instanceof HetznerError && (err.apiCode === 'not_found' || err.apiCode === 'invalid_input' || err.status === 404 || err.status === 405)) {
      return result('valid', 'The token is valid and may create and delete servers.', true);
    }
    return result(...describeFailure(err, host, 'write'));
  }
}

function describeFailure(err: unknown, host: string, probe: 'read' | 'write'): [HetznerCheckStatus, string] {
  if (err instanceof OutpostError && err.code === 'cancelled') throw err;
  if (!(err instanceof HetznerError)) throw err;
  const detail = err.message;
  if (err.status === 401 || err.status === 403) {
    return ['invalid', `Hetzner refused the token (${detail}). Check that it was copied whole and has not been deleted.`];
  }
  if (err.status === 0) return ['unreachable', `Could not reach the Hetzner API at ${host}: ${detail}.`];
  if (err.status === 429) return ['unreachable', `The Hetzner API is rate-limiting this project; try again in a minute (${detail}).`];
  if (err.status >= 500) return ['unreachable', `The Hetzner API at ${host} is having trouble (${detail}); try again later.`];
  const step = probe === 'read' ? 'GET /locations' : 'the write-permission probe';
  return ['unreachable', `${host} does not answer like the Hetzner Cloud API (${step}: ${detail}).`];
}
