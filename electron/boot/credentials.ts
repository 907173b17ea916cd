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
import { liveUnavailable, type LiveRequestSource } from './live-unavailable';

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

/**
 * Live endpoints from the vault. Refuses (LiveUnavailableError, saying why and what to do) when a
 * credential is missing, the vault is locked or its passphrase is wrong, or the tags are unknown.
 */
export async function vaultEndpoints(tokens: TokenService, settings: SettingsStore, requestedBy: LiveRequestSource, urls: LiveUrls = liveUrls()): Promise<CloudEndpoints> {
  const status = tokens.status();
  if (status.hetzner.state === 'missing' || status.tailscale.state === 'missing') {
    const which = status.hetzner.state === 'missing' && status.tailscale.state === 'missing' ? 'neither the Hetzner token nor the Tailscale OAuth client is' : status.hetzner.state === 'missing' ? 'the Hetzner token is not' : 'the Tailscale OAuth client is not';
    throw liveUnavailable(requestedBy, 'unauthorized', `${which} stored.`, 'Store them in Settings → Tokens, or set the OUTPOST_* credential variables (see the README).');
  }
  let creds;
  try {
    creds = await tokens.credentials();
  } catch (err) {
    // A locked vault, a wrong passphrase, a keychain that cannot decrypt: the vault's own words.
    if (err instanceof OutpostError) throw liveUnavailable(requestedBy, err.code, err.message, err.hint ?? 'Unlock the token vault, or store the tokens again.');
    throw err;
  }
  if (!creds.hetznerToken || !creds.tailscale) throw liveUnavailable(requestedBy, 'locked', 'a stored credential could not be read.', 'Store the tokens again in Settings → Tokens.');
  const tags = settings.get<string[]>('tailscaleTags')?.length ? settings.get<string[]>('tailscaleTags')! : (status.tailscale.capabilities?.tags ?? []);
  if (tags.length === 0) throw liveUnavailable(requestedBy, 'invalid_input', 'the Tailscale tags are not known.', 'Set them in Settings (exactly the OAuth client\'s tags), or store the Tailscale client again so that they are read from it.');
  return {
    ...urls,
    hetznerToken: creds.hetznerToken,
    tailscaleClientId: creds.tailscale.clientId,
    tailscaleClientSecret: creds.tailscale.clientSecret,
    tailscaleTags: tags,
  };
}
