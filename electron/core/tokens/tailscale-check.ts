// Are these Tailscale OAuth client credentials usable? One client-credentials token exchange
// (reference tailscale-api.md §1.2): it proves the secret and reports the client's scopes and tags,
// which is all Outpost needs to know. The access token it yields is dropped at once (it expires on
// its own within the hour); nothing else is called, so a check never touches the tailnet.
import { OutpostError } from '../../../shared/errors';
import { TailscaleError, TailscaleTransport } from '../tailscale';
import { registerSecret } from '../redact';
import { checkedAt, checkTransport, hostOf, looksLikeToken, scrub, type CheckOptions } from './common';

export type TailscaleCheckStatus = 'valid' | 'invalid' | 'unreachable';

export interface TailscaleClientCheck {
  status: TailscaleCheckStatus;
  message: string;
  checkedAt: string;
  /** As reported by the token endpoint; absent when it did not say. */
  scopes?: string[];
  tags?: string[];
}

/** What provisioning needs: mint auth keys and manage devices (reference §1.3; legacy `devices`). */
const NEEDED_SCOPES: readonly (readonly string[])[] = [
  ['auth_keys', 'devices'],
  ['devices:core', 'devices'],
];

export async function checkTailscaleClient(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  opts: CheckOptions = {},
): Promise<TailscaleClientCheck> {
  const at = checkedAt(opts);
  const result = (status: TailscaleCheckStatus, message: string, extra: Pick<TailscaleClientCheck, 'scopes' | 'tags'> = {}): TailscaleClientCheck => ({
    status,
    message: scrub(message, [clientSecret]),
    checkedAt: at,
    ...extra,
  });
  const host = hostOf(baseUrl);
  if (host === null) return result('unreachable', 'The Tailscale API address is not a valid URL.');
  if (!looksLikeToken(clientId) || !looksLikeToken(clientSecret)) {
    return result('invalid', 'The OAuth client id or secret is empty or contains spaces, line breaks or other characters they never have.');
  }
  registerSecret(clientSecret);

  const transport = new TailscaleTransport(checkTransport(baseUrl, opts));
  let body: unknown;
  try {
    const form = { client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' };
    ({ body } = await transport.send('POST', '/oauth/token', { form, idempotent: true, signal: opts.signal }));
  } catch (err) {
    return result(...describeFailure(err, host));
  }

  const answer = (body ?? {}) as { access_token?: unknown; scope?: unknown; tags?: unknown };
  // Only its presence matters; it is neither kept, returned nor logged, and lapses within the hour.
  if (typeof answer.access_token !== 'string' || answer.access_token === '') return result('unreachable', `${host} accepted the credentials but returned no access token; is this the Tailscale API?`);

  const scopes = splitList(answer.scope, /\s+/);
  const tags = splitList(answer.tags, /,/);
  const extra = { ...(scopes ? { scopes } : {}), ...(tags ? { tags } : {}) };
  if (scopes) {
    const missing = NEEDED_SCOPES.filter((alternatives) => !alternatives.some((s) => scopes.includes(s))).map((a) => a[0]);
    if (missing.length > 0) {
      return result('invalid', `The OAuth client works but lacks the scope${missing.length > 1 ? 's' : ''} Outpost needs: ${missing.join(', ')}. Create a client with auth_keys and devices:core.`, extra);
    }
  }
  if (tags && tags.length === 0) {
    return result('invalid', 'The OAuth client works but has no tags; auth keys minted by an OAuth client must be tagged. Add a tag (e.g. tag:outpost) to the client.', extra);
  }
  const tagText = tags ? ` Devices will join tagged ${tags.join(', ')}.` : '';
  return result('valid', `The OAuth client is valid.${tagText}`, extra);
}

/** `"a b"` / `"a,b"` / `["a","b"]` → list; anything else → undefined (the endpoint did not say). */
function splitList(value: unknown, sep: RegExp): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value !== 'string') return undefined;
  return value.split(sep).map((s) => s.trim()).filter(Boolean);
}

function describeFailure(err: unknown, host: string): ['invalid' | 'unreachable', string] {
  if (err instanceof OutpostError && err.code === 'cancelled') throw err;
  if (!(err instanceof TailscaleError)) throw err;
  if (err.status === 400 || err.status === 401 || err.status === 403) {
    return ['invalid', `Tailscale refused the OAuth client credentials (${err.message}). Check the client secret; it starts with tskey-client-.`];
  }
  if (err.status === 0) return ['unreachable', `Could not reach the Tailscale API at ${host}: ${err.message}.`];
  if (err.status === 429) return ['unreachable', `The Tailscale API is rate-limiting; try again in a minute (${err.message}).`];
  if (err.status >= 500) return ['unreachable', `The Tailscale API at ${host} is having trouble (${err.message}); try again later.`];
  return ['unreachable', `${host} does not answer like the Tailscale API (${err.message}).`];
}
