// Decrypting the vault's check value and entries (electron/core/vault/entries.ts), the AES-GCM
// cipher's refusals (gcm-cipher.ts) and the keychain's wrong-key message (messages.ts): a damaged
// value is reported by name with a way out, a keychain's own refusal is passed on as it is, and no
// message quotes a byte. Written to kill mutants StrykerJS found surviving
// (bench/results/mutation-survivors.md).
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SecretCipher } from '../../../electron/core/ports';
import { decryptEntry, verifyCheck } from '../../../electron/core/vault/entries';
import { CHECK_PLAINTEXT, encodeTagged, packEntry, type VaultDocument } from '../../../electron/core/vault/format';
import { CipherAuthError, createGcmCipher, deriveKey, GCM_FORMAT } from '../../../electron/core/vault/gcm-cipher';
import { RESET_HOW, wrongKeyError } from '../../../electron/core/vault/messages';
import { OutpostError } from '../../../shared/errors';
import { FAST_SCRYPT } from '../vault/helpers';

const KEY = Buffer.alloc(32, 3);
const gcm = createGcmCipher(KEY);
const SECRET = 'hcloud-secret-value';

/** A cipher whose decrypt always throws `error` (a keychain that went away, a library bug). */
const failing = (error: Error): SecretCipher => ({ format: GCM_FORMAT, encrypt: () => Buffer.alloc(0), decrypt: () => { throw error; } });

function thrown(run: () => unknown): OutpostError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(OutpostError);
    return err as OutpostError;
  }
  throw new Error('expected a refusal');
}

const DAMAGED_HINT = 'Enter it again; saving it replaces the damaged value.';

describe('decryptEntry', () => {
  const stored = encodeTagged(GCM_FORMAT, gcm.encrypt(packEntry('hetznerToken', SECRET)));

  it('opens an intact entry under its own name', () => {
    expect(decryptEntry(gcm, 'hetznerToken', stored)).toBe(SECRET);
  });

  it('reports a wrong key as a damaged entry, by its label, with the way out', () => {
    const e = thrown(() => decryptEntry(createGcmCipher(Buffer.alloc(32, 4)), 'hetznerToken', stored));
    expect(e.code).toBe('locked');
    expect(e.message).toBe('The stored Hetzner API token could not be decrypted: the vault file was altered or damaged.');
    expect(e.hint).toBe(DAMAGED_HINT);
  });

  it('names an unknown entry by its name', () => {
    const e = thrown(() => decryptEntry(gcm, 'legacyToken', 'not tagged'));
    expect(e.message).toBe("The stored secret 'legacyToken' could not be decrypted: the vault file was altered or damaged.");
  });

  it('reports a cipher that fails with a plain error as damaged, quoting nothing of it', () => {
    const e = thrown(() => decryptEntry(failing(new Error(`bad bytes ${SECRET}`)), 'hetznerToken', stored));
    expect(e.code).toBe('locked');
    expect(e.hint).toBe(DAMAGED_HINT);
    expect(e.message).not.toContain(SECRET);
  });

  it("passes a keychain's own refusal on unchanged", () => {
    const unavailable = new OutpostError('unavailable', 'The system keychain is not available.');
    expect(thrown(() => decryptEntry(failing(unavailable), 'hetznerToken', stored))).toBe(unavailable);
  });
});

describe('verifyCheck', () => {
  const doc = { cipher: GCM_FORMAT, check: encodeTagged(GCM_FORMAT, gcm.encrypt(CHECK_PLAINTEXT)) } as VaultDocument;

  it('accepts the right key', () => {
    expect(() => verifyCheck(gcm, doc)).not.toThrow();
  });

  it("passes a keychain's own refusal on, and calls anything else a wrong key", () => {
    const unavailable = new OutpostError('unavailable', 'The system keychain is not available.');
    expect(thrown(() => verifyCheck(failing(unavailable), doc))).toBe(unavailable);
    expect(thrown(() => verifyCheck(failing(new CipherAuthError()), doc)).message).toBe(wrongKeyError(GCM_FORMAT).message);
    expect(thrown(() => verifyCheck(failing(new Error('x')), doc)).message).toBe(wrongKeyError(GCM_FORMAT).message);
  });
});

describe('wrongKeyError for a keychain vault', () => {
  it('is locked and says how to start over', () => {
    const e = wrongKeyError('v1:safe');
    expect(e.code).toBe('locked');
    expect(e.hint).toBe(`If the keychain changed for good, ${RESET_HOW}.`);
  });
});

describe('the AES-GCM cipher', () => {
  it('refuses a key that is not 32 bytes, as a bug', () => {
    const e = thrown(() => createGcmCipher(Buffer.alloc(16)));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'internal', message: 'AES-256-GCM needs a 32-byte key.' });
  });

  it('says only that the key is wrong or the data altered', () => {
    const e = thrown(() => gcm.decrypt(Buffer.alloc(40)));
    expect(e).toBeInstanceOf(CipherAuthError);
    expect(e.name).toBe('CipherAuthError');
    expect({ code: e.code, message: e.message }).toEqual({ code: 'locked', message: 'The data could not be decrypted: the key is wrong or the data was altered.' });
  });
});

describe('deriveKey', () => {
  it('derives with the parameters given (the header’s, not scrypt’s defaults)', async () => {
    const salt = Buffer.alloc(16, 9);
    const expected = scryptSync('pass phrase', salt, 32, { ...FAST_SCRYPT, maxmem: 256 * FAST_SCRYPT.N * 8 });
    expect((await deriveKey('pass phrase', salt, FAST_SCRYPT)).equals(expected)).toBe(true);
  });

  it('refuses parameters out of bounds with invalid_input', async () => {
    await expect(deriveKey('x', Buffer.alloc(16), { N: 2 ** 9, r: 8, p: 1 })).rejects.toMatchObject({ code: 'invalid_input', message: 'Unsupported scrypt parameters.' });
  });
});
