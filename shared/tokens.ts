// Token status and token inputs: everything the renderer may learn about, or send for, the stored
// credentials (DESIGN §6: tokens are write-only outward). No field may ever hold a secret, a
// fragment of one, or a hash of one.
import { z } from 'zod';

export const TOKEN_PROVIDERS = ['hetzner', 'tailscale'] as const;
export type TokenProvider = (typeof TOKEN_PROVIDERS)[number];

/**
 * missing: nothing stored. stored: stored, not checked since (e.g. after a restart without a check).
 * valid / read_only / invalid / unreachable: the outcome of the last check of the stored value.
 */
export const TokenStateSchema = z.enum(['missing', 'stored', 'valid', 'invalid', 'read_only', 'unreachable']);

export const TokenCapabilitiesSchema = z.object({
  /** Hetzner: the token may mutate (false for a read-only token: support mode). */
  write: z.boolean().optional(),
  /** Tailscale: scopes granted to the OAuth client, as the token endpoint reported them. */
  scopes: z.array(z.string()).optional(),
  /** Tailscale: the tags auth keys will carry. */
  tags: z.array(z.string()).optional(),
});

export const ProviderTokenStatusSchema = z.object({
  state: TokenStateSchema,
  /** ISO time of the check the state comes from; null for missing / stored. */
  checkedAt: z.string().nullable(),
  /** One sentence for the operator; null when there is nothing to say. */
  message: z.string().nullable(),
  capabilities: TokenCapabilitiesSchema.optional(),
});
export type ProviderTokenStatus = z.infer<typeof ProviderTokenStatusSchema>;

export const VaultInfoSchema = z.object({
  /** `v1:gcm` (passphrase), `v1:safe` (system keychain) or null before the first secret. */
  format: z.string().nullable(),
  locked: z.boolean(),
  /** E.g. "the vault was damaged and moved aside"; empty when all is well. */
  notices: z.array(z.string()),
});

export const TokenStatusSchema = z.object({
  hetzner: ProviderTokenStatusSchema,
  tailscale: ProviderTokenStatusSchema,
  vault: VaultInfoSchema,
});
export type TokenStatus = z.infer<typeof TokenStatusSchema>;

/** Typed by the operator to empty a vault whose passphrase is lost (tokens:reset). */
export const VAULT_RESET_PHRASE = 'delete all tokens';

// ---- inputs (for the contract's `tokens:set` request schemas) ----

// Visible ASCII only: every real token is, and anything else (a pasted newline, a space, a smart
// quote) would otherwise reach an HTTP header, whose error message could quote the token back.
const tokenText = (what: string) =>
  z
    .string({ error: `The ${what} is missing.` })
    .trim()
    .min(1, `The ${what} is empty.`)
    .max(512, `The ${what} is too long.`)
    .regex(/^[\x21-\x7e]+$/, `The ${what} contains spaces, line breaks or characters a ${what} never has.`);

export const HetznerTokenInputSchema = z.object({ token: tokenText('Hetzner API token') });
export const TailscaleClientInputSchema = z.object({
  clientId: tokenText('Tailscale OAuth client id'),
  clientSecret: tokenText('Tailscale OAuth client secret'),
});
export type HetznerTokenInput = z.infer<typeof HetznerTokenInputSchema>;
export type TailscaleClientInput = z.infer<typeof TailscaleClientInputSchema>;

export interface TokenInputs {
  hetzner: HetznerTokenInput;
  tailscale: TailscaleClientInput;
}

