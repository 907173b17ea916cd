// tokens:status / set / test / clear / reset: write-only credentials. A read-only Hetzner token switches
// the app to the support role, since every mutation would be refused by Hetzner anyway.
import type { ParsedReq } from '../../../shared/contract';
import type { ProviderTokenStatus } from '../../../shared/tokens';
import type { SettingsStore } from '../ports';
import type { TokenService } from '../tokens';

export function tokenServices(tokens: TokenService, settings: SettingsStore) {
  const followRole = (provider: string, status: ProviderTokenStatus): ProviderTokenStatus => {
    if (provider === 'hetzner' && status.state === 'read_only') settings.set('role', 'support');
    return status;
  };
  return {
    'tokens:status': async () => tokens.status(),
    'tokens:set': async (req: ParsedReq<'tokens:set'>) =>
      followRole(
        req.provider,
        req.provider === 'hetzner'
          ? await tokens.set('hetzner', { token: req.token })
          : await tokens.set('tailscale', { clientId: req.clientId, clientSecret: req.clientSecret }),
      ),
    'tokens:test': async (req: ParsedReq<'tokens:test'>) => followRole(req.provider, await tokens.test(req.provider)),
    'tokens:clear': async (req: ParsedReq<'tokens:clear'>) => tokens.clear(req.provider),
    // Deletes every stored token without the key (a lost passphrase); the contract demands the typed
    // phrase and the guard audits it like every mutation.
    'tokens:reset': async (req: ParsedReq<'tokens:reset'>) => tokens.reset(req.confirm),
  };
}
