// tokens:status / set / test / clear / reset: write-only credentials. A read-only Hetzner token switches
// the app to the support role, since every mutation would be refused by Hetzner anyway.
import type { ParsedReq } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import type { ProviderTokenStatus, TokenProvider } from '../../../shared/tokens';
import type { SettingsStore } from '../ports';
import type { TokenService } from '../tokens';

const WHAT: Record<TokenProvider, string> = { hetzner: 'token', tailscale: 'OAuth client' };

/**
 * A value the cloud refused (or could not vouch for) was not stored: the caller gets an error, so a
 * form stays open with the check's own words (secret-free: the check scrubs its message), and the
 * audit says `error`, not `ok`. The hint says what is in force now: the value stored before, if any.
 */
function refusal(provider: TokenProvider, status: ProviderTokenStatus, before: ProviderTokenStatus): OutpostError {
  const kept = before.state === 'missing' ? `No ${WHAT[provider]} is stored yet.` : `The ${WHAT[provider]} stored before is still in place and still used.`;
  const fix = status.state === 'unreachable' ? 'Try again once the API can be reached.' : `Check the ${WHAT[provider]} and save it again.`;
  return new OutpostError(status.state === 'unreachable' ? 'unavailable' : 'unauthorized', status.message ?? `The ${WHAT[provider]} was refused. Nothing was stored.`, {
    hint: `${kept} ${fix}`,
  });
}

export function tokenServices(tokens: TokenService, settings: SettingsStore) {
  const followRole = (provider: string, status: ProviderTokenStatus): ProviderTokenStatus => {
    if (provider === 'hetzner' && status.state === 'read_only') settings.set('role', 'support');
    return status;
  };
  const set = async (req: ParsedReq<'tokens:set'>): Promise<ProviderTokenStatus> => {
    const before = tokens.status()[req.provider];
    const status =
      req.provider === 'hetzner'
        ? await tokens.set('hetzner', { token: req.token })
        : await tokens.set('tailscale', { clientId: req.clientId, clientSecret: req.clientSecret });
    if (status.state !== 'valid' && status.state !== 'read_only') throw refusal(req.provider, status, before);
    return followRole(req.provider, status);
  };
  return {
    'tokens:status': async () => tokens.status(),
    'tokens:set': set,
    'tokens:test': async (req: ParsedReq<'tokens:test'>) => followRole(req.provider, await tokens.test(req.provider)),
    'tokens:clear': async (req: ParsedReq<'tokens:clear'>) => tokens.clear(req.provider),
    // Deletes every stored token without the key (a lost passphrase); the contract demands the typed
    // phrase and the guard audits it like every mutation.
    'tokens:reset': async (req: ParsedReq<'tokens:reset'>) => tokens.reset(req.confirm),
  };
}
