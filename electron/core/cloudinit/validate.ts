// Input checks for the user-data renderer. Errors name the field and never echo the auth key.
import { OutpostError } from '../../../shared/errors';

const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
// Tailscale keys are tskey-auth-<id>-<secret>; the character set keeps the key file one plain line.
const AUTH_KEY = /^tskey-auth-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
const SSH_KEY = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([^\p{Cc}]*))?$/u;

export const SSH_KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

export const MIN_JOIN_TIMEOUT_SECONDS = 30;
export const MAX_JOIN_TIMEOUT_SECONDS = 3600;

function invalid(message: string, hint: string): OutpostError {
  return new OutpostError('invalid_input', message, { hint, step: 'render_user_data' });
}

export function checkHostname(hostname: string): string {
  if (typeof hostname !== 'string' || !HOSTNAME.test(hostname)) {
    throw invalid(
      `hostname ${JSON.stringify(String(hostname).slice(0, 80))} is not a DNS label`,
      'Use 1-63 characters a-z, 0-9 and "-", not starting or ending with "-".',
    );
  }
  return hostname;
}

export function checkAuthKey(authKey: string): string {
  if (typeof authKey !== 'string' || !AUTH_KEY.test(authKey)) {
    throw invalid('authKey is not a Tailscale auth key', 'Expected a freshly minted tskey-auth-… key.');
  }
  return authKey;
}

/** Returns the tags in order without duplicates (the CLI compares them as a set). */
export function checkTags(tags: readonly string[]): string[] {
  if (!Array.isArray(tags) || tags.length === 0) {
    throw invalid('tags must list at least one tag', 'Configure the tags the auth key was minted with.');
  }
  for (const tag of tags) {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw invalid(
        `tag ${JSON.stringify(String(tag).slice(0, 80))} is not valid`,
        'Tags look like "tag:name": a letter, then letters, digits or "-".',
      );
    }
  }
  return [...new Set(tags)];
}

/** Returns the keys trimmed (pasted keys usually end in a newline). */
export function checkSshKeys(keys: readonly string[]): string[] {
  if (!Array.isArray(keys)) {
    throw invalid('sshAuthorizedKeys must be a list', 'Pass [] when no operator key is configured.');
  }
  return keys.map((raw, index) => {
    const key = typeof raw === 'string' ? raw.trim() : '';
    if (!isOpenSshPublicKey(key)) {
      throw invalid(
        `sshAuthorizedKeys[${index}] is not an OpenSSH public key`,
        `Paste one line "<type> <base64> [comment]" with type ${SSH_KEY_TYPES.join(', ')}.`,
      );
    }
    return key;
  });
}

// The base64 blob starts with the key type again (RFC 4253 §6.6); checking that catches
// truncated pastes and private keys that a prefix regex would let through.
export function isOpenSshPublicKey(line: string): boolean {
  const match = SSH_KEY.exec(line);
  if (!match) return false;
  const [, type = '', blob = ''] = match;
  if (!SSH_KEY_TYPES.includes(type)) return false;
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.toString('base64') !== blob) return false;
  if (bytes.length < 4) return false;
  const typeLength = bytes.readUInt32BE(0);
  if (typeLength !== type.length || bytes.length <= 4 + typeLength) return false;
  return bytes.subarray(4, 4 + typeLength).toString('latin1') === type;
}

export function checkJoinTimeout(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < MIN_JOIN_TIMEOUT_SECONDS || seconds > MAX_JOIN_TIMEOUT_SECONDS) {
    throw invalid(
      `joinTimeoutSeconds ${String(seconds)} is out of range`,
      `Use a whole number of seconds from ${MIN_JOIN_TIMEOUT_SECONDS} to ${MAX_JOIN_TIMEOUT_SECONDS}.`,
    );
  }
  return seconds;
}
