// The secrets the vault knows. The client id is not secret, but it is useless without its secret
// and is replaced together with it, so both live (and are encrypted) in the same place.
import { OutpostError } from '../../../shared/errors';

// teamToken: the desktop's API token for a team server (Settings → Team server), read only by
// core/team-client to sign its requests.
export const SECRET_NAMES = ['hetznerToken', 'tailscaleClientId', 'tailscaleClientSecret', 'teamToken'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export type SecretPresence = 'missing' | 'stored';

/** Plain-language names for messages; a message names the secret, never its value. */
export const SECRET_LABELS: Record<SecretName, string> = {
  hetznerToken: 'Hetzner API token',
  tailscaleClientId: 'Tailscale OAuth client id',
  tailscaleClientSecret: 'Tailscale OAuth client secret',
  teamToken: 'team server API token',
};

export const isSecretName = (value: unknown): value is SecretName =>
  typeof value === 'string' && (SECRET_NAMES as readonly string[]).includes(value);

/** Far above any real token; keeps a pasted file or a runaway value out of the vault. */
export const MAX_SECRET_LENGTH = 16_384;

// A lone UTF-16 surrogate cannot be encoded as UTF-8 and would come back as U+FFFD: refuse it
// rather than store something different from what was given.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The vault stores any well-formed text; trimming and token syntax are the caller's business. */
export function assertStorable(name: SecretName, value: unknown): asserts value is string {
  const label = SECRET_LABELS[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new OutpostError('invalid_input', `The ${label} is empty.`);
  }
  if (value.length > MAX_SECRET_LENGTH) {
    throw new OutpostError('invalid_input', `The ${label} is too long (over ${MAX_SECRET_LENGTH} characters).`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new OutpostError('invalid_input', `The ${label} contains an invalid character.`);
  }
}
