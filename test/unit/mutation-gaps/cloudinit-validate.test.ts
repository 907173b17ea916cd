// The cloud-init input checks (electron/core/cloudinit/validate.ts): what each allow-list refuses,
// with which words, and that refusals echo at most a bounded prefix of the input. Written to kill
// mutants StrykerJS found surviving (bench/results/mutation-survivors.md). Self-contained and
// without the cloud-init fixtures, whose import renders ~40 near-limit documents: Stryker re-imports
// every test file for each mutant.
import { describe, expect, it } from 'vitest';
import { checkAuthKey, checkHostname, checkJoinTimeout, checkSshKeys, checkTags, sshKeyProblem } from '../../../electron/core/cloudinit/validate';
import { OutpostError } from '../../../shared/errors';

/** An OpenSSH key blob (RFC 4253 §6.6) from its parts: a number is a uint32, a string its latin1 bytes. */
const blob = (...parts: (number | string | Buffer)[]): string =>
  Buffer.concat(
    parts.map((p) => {
      if (typeof p !== 'number') return typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
      const n = Buffer.alloc(4);
      n.writeUInt32BE(p);
      return n;
    }),
  ).toString('base64');

const ED25519_BLOB = blob(11, 'ssh-ed25519', 32, Buffer.alloc(32, 7));
const ED25519 = `ssh-ed25519 ${ED25519_BLOB} alice@ops`;

function refusal(run: () => unknown): OutpostError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(OutpostError);
    const e = err as OutpostError;
    expect(e.code).toBe('invalid_input');
    expect(e.step).toBe('render_user_data');
    return e;
  }
  throw new Error('expected the input to be refused');
}

// Values a JavaScript caller (or a parsed request) could pass despite the types: their text would pass.
const asString = (value: unknown): string => value as string;

describe('sshKeyProblem', () => {
  it('accepts a well-formed key, with or without a comment', () => {
    expect(sshKeyProblem(ED25519)).toBeNull();
    expect(sshKeyProblem(`ssh-ed25519 ${ED25519_BLOB}`)).toBeNull();
  });

  it('says what is wrong with a line that is not "<type> <base64> [comment]"', () => {
    expect(sshKeyProblem(asString(123))).toBe('not text');
    expect(sshKeyProblem('ssh-ed25519')).toBe('expected "<type> <base64> [comment]" on one line');
    expect(sshKeyProblem(`from="10.0.0.1" ${ED25519}`)).toBe('expected "<type> <base64> [comment]" on one line');
  });

  it('names the accepted types when the type is unknown', () => {
    expect(sshKeyProblem(`ssh-dss ${blob(7, 'ssh-dss', 4, 'abcd')}`)).toBe(
      'unknown key type (expected one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com)',
    );
  });

  it('refuses a body that is not canonical base64 or too short to hold a length', () => {
    // 52 bytes: canonical base64 ends in "=="; without the padding Buffer still decodes it.
    const padded = blob(11, 'ssh-ed25519', 33, Buffer.alloc(33, 7));
    expect(padded.endsWith('==')).toBe(true);
    expect(sshKeyProblem(`ssh-ed25519 ${padded}`)).toBeNull();
    expect(sshKeyProblem(`ssh-ed25519 ${padded.replace(/=+$/, '')}`)).toBe('the key body is not canonical base64');
    // Two bytes: no room for the type's length.
    expect(sshKeyProblem('ssh-ed25519 AAA=')).toBe('the key body is not canonical base64');
  });

  it('refuses a body that does not start with its own type, or holds nothing after it', () => {
    const mismatch = 'the key body does not match its type';
    // Exactly four bytes: a length (0) and no type.
    expect(sshKeyProblem(`ssh-ed25519 ${blob(0)}`)).toBe(mismatch);
    // The type and nothing else: a truncated paste.
    expect(sshKeyProblem(`ssh-ed25519 ${blob(11, 'ssh-ed25519')}`)).toBe(mismatch);
    // The right length, another type of that length.
    expect(sshKeyProblem(`ssh-rsa ${blob(7, 'ssh-dss', 4, 'abcd')}`)).toBe(mismatch);
    // Another type altogether.
    expect(sshKeyProblem(`ssh-rsa ${ED25519_BLOB}`)).toBe(mismatch);
  });

  it('names a stray comment character by its code point, upper case and four digits', () => {
    expect(sshKeyProblem(`${ED25519} jos\u00e9`)).toBe('its comment contains U+00E9; only printable ASCII is allowed');
    expect(sshKeyProblem(`${ED25519} a\u0001`)).toBe('its comment contains U+0001; only printable ASCII is allowed');
  });
});

describe('checkSshKeys', () => {
  it('refuses anything but a list, and says to pass []', () => {
    const e = refusal(() => checkSshKeys(asString(ED25519) as unknown as string[]));
    expect(e.message).toBe('sshAuthorizedKeys must be a list');
    expect(e.hint).toBe('Pass [] when no operator key is configured.');
  });

  it('refuses a list item that is not text, naming its position', () => {
    const e = refusal(() => checkSshKeys([asString(42)]));
    expect(e.message).toBe('sshAuthorizedKeys[0] is not an OpenSSH public key: expected "<type> <base64> [comment]" on one line');
  });

  it('lists the accepted types in the hint', () => {
    const e = refusal(() => checkSshKeys([ED25519, 'ssh-dss AAAA']));
    expect(e.message).toMatch(/^sshAuthorizedKeys\[1\] /);
    expect(e.hint).toContain('type ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256,');
  });
});

describe('hostname, auth key and tags that are not text', () => {
  it('are refused even when their text would pass', () => {
    expect(refusal(() => checkHostname(asString(42))).message).toBe('hostname "42" is not a DNS label');
    expect(refusal(() => checkAuthKey(asString(['tskey-auth-kA-b']))).message).toBe('authKey is not a Tailscale auth key');
    expect(refusal(() => checkTags([asString(['tag:a'])])).message).toBe('tag "tag:a" is not valid');
  });
});

describe('refusals quote at most 80 characters of the input', () => {
  it('for a hostname and a tag', () => {
    const long = `${'a'.repeat(80)}${'b'.repeat(200)}`;
    expect(refusal(() => checkHostname(long)).message).toBe(`hostname "${'a'.repeat(80)}" is not a DNS label`);
    expect(refusal(() => checkTags([`tag:${long}!`])).message).toBe(`tag "tag:${'a'.repeat(76)}" is not valid`);
  });
});

describe('checkJoinTimeout', () => {
  it('accepts both ends of 30..3600 s', () => {
    expect(checkJoinTimeout(30)).toBe(30);
    expect(checkJoinTimeout(3600)).toBe(3600);
    expect(refusal(() => checkJoinTimeout(29)).message).toBe('joinTimeoutSeconds 29 is out of range');
    expect(refusal(() => checkJoinTimeout(3601)).hint).toBe('Use a whole number of seconds from 30 to 3600.');
  });
});
