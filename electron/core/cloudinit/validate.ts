// Input checks for the user-data renderer: one allow-list of characters per field, so that no
// operator-supplied string can carry a line break (including U+0085, U+2028, U+2029, which PyYAML
// treats as such), a YAML indicator at its start, or anything else the read-back would have to
// catch. Errors name the field and never echo the auth key.
import { OutpostError } from '../../../shared/errors';

const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
// Tailscale keys are tskey-auth-<id>-<secret>; the character set keeps the key file one plain line.
const AUTH_KEY = /^tskey-auth-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
// "<type> <base64> [comment]". The comment is free text to OpenSSH, but here only printable
// ASCII (U+0020-U+007E): user@host comments fit, and no Unicode line or paragraph separator,
// no control character and no look-alike can ride along into authorized_keys or the YAML.
const SSH_KEY = /^([a-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})(?: ([\x20-\x7E]*))?$/;
const SSH_COMMENT_CHAR = /[\x20-\x7E]/;

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
    const problem = sshKeyProblem(key);
    if (problem !== null) {
      throw invalid(
        `sshAuthorizedKeys[${index}] is not an OpenSSH public key: ${problem}`,
        `Paste one line "<type> <base64> [comment]" with type ${SSH_KEY_TYPES.join(', ')} and a comment of printable ASCII only.`,
      );
    }
    return key;
  });
}

const codePoint = (char: string): string => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `line` is not an acceptable public key line, or null when it is. Never echoes the line. */
export function sshKeyProblem(line: string): string | null {
  if (typeof line !== 'string') return 'not text';
  const [type = '', blob = '', ...rest] = line.split(' ');
  const comment = rest.join(' ');
  const stray = [...comment].find((c) => !SSH_COMMENT_CHAR.test(c));
  if (stray !== undefined) return `its comment contains ${codePoint(stray)}; only printable ASCII is allowed`;
  const match = SSH_KEY.exec(line);
  if (!match) return 'expected "<type> <base64> [comment]" on one line';
  if (!SSH_KEY_TYPES.includes(type)) return `unknown key type (expected one of ${SSH_KEY_TYPES.join(', ')})`;
  // The base64 blob starts with the key type again (RFC 4253 §6.6); checking that catches
  // truncated pastes and private keys that a prefix regex would let through.
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.toString('base64') !== blob || bytes.length < 4) return 'the key body is not canonical base64';
  const typeLength = bytes.readUInt32BE(0);
  if (typeLength !== type.length || bytes.length <= 4 + typeLength || bytes.subarray(4, 4 + typeLength).toString('latin1') !== type) {
    return 'the key body does not match its type';
  }
  return null;
}

export function isOpenSshPublicKey(line: string): boolean {
  return sshKeyProblem(line) === null;
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
