// The vault and the live credentials read from it (the runtime prefers the environment's, for
// scripting and CI); tags from the settings, or what the Tailscale check reported for the OAuth client.
import { OutpostError } from '../../shared/errors';
import type { CloudEndpoints } from '../core/clouds';
import { HETZNER_BASE_URL } from '../core/hetzner';
import type { Logger } from '../core/log';
import type { SettingsStore } from '../core/ports';
import { TAILSCALE_BASE_URL } from '../core/tailscale';
import { TokenService } from '../core/tokens';
import { createTtyPrompt, passphraseSource, TokenVault, type VaultCiphers } from '../core/vault';

/** Live API base URLs: the real ones unless the environment points elsewhere (a test simulator). */
export const liveUrls = (env: NodeJS.ProcessEnv = process.env) => ({
  hetznerUrl: env.OUTPOST_HETZNER_URL ?? HETZNER_BASE_URL,
  tailscaleUrl: env.OUTPOST_TAILSCALE_URL ?? TAILSCALE_BASE_URL,
});

/** Passphrase from OUTPOST_PASSPHRASE, else asked on the terminal when there is one. */
export const nodeVaultCiphers = (): VaultCiphers => ({
  passphrase: passphraseSource({ env: process.env, prompt: process.stdin.isTTY ? createTtyPrompt() : undefined }),
});

export type LiveUrls = ReturnType<typeof liveUrls>;

export async function openTokens(dataDir: string, ciphers: VaultCiphers, log: Logger, urls: LiveUrls = liveUrls()): Promise<TokenService> {
  const vault = await TokenVault.open({ dataDir, ciphers, logger: log });
  return new TokenService({ vault, ...urls, logger: log });
}

/** Live endpoints from the vault, or null (with the reason) when something is missing. */
export async function vaultEndpoints(tokens: TokenService, settings: SettingsStore, urls: LiveUrls = liveUrls()): Promise<{ endpoints: CloudEndpoints | null; missing: string | null }> {
  const status = tokens.status();
  if (status.hetzner.state === 'missing' || status.tailscale.state === 'missing') {
    return { endpoints: null, missing: 'the Hetzner token and the Tailscale OAuth client are not both stored' };
  }
  let creds;
  try {
    creds = await tokens.credentials();
  } catch (err) {
    return { endpoints: null, missing: err instanceof OutpostError ? err.message : 'the vault could not be opened' };
  }
  const tags = settings.get<string[]>('tailscaleTags')?.length ? settings.get<string[]>('tailscaleTags')! : (status.tailscale.capabilities?.tags ?? []);
  if (!creds.hetznerToken || !creds.tailscale) return { endpoints: null, missing: 'a stored credential could not be read' };
  if (tags.length === 0) return { endpoints: null, missing: 'the Tailscale tags are not known (set them in Settings)' };
  return {
    endpoints: {
      ...urls,
      hetznerToken: creds.hetznerToken,
      tailscaleClientId: creds.tailscale.clientId,
      tailscaleClientSecret: creds.tailscale.clientSecret,
      tailscaleTags: tags,
    },
    missing: null,
  };
}
