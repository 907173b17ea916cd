import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CipherAuthError, DEFAULT_SCRYPT, GCM_FORMAT, createGcmCipher, deriveKey, scryptParamsAcceptable } from '../../../electron/core/vault/gcm-cipher';
import { FAST_SCRYPT } from './helpers';

const key = () => randomBytes(32);

describe('AES-256-GCM cipher', () => {
  it('round-trips and tags its format', () => {
    const c = createGcmCipher(key());
    expect(c.format).toBe(GCM_FORMAT);
    expect(c.decrypt(c.encrypt('hello token'))).toBe('hello token');
  });

  it('uses a fresh IV each time: equal plaintexts give different ciphertexts', () => {
    const c = createGcmCipher(key());
    const a = c.encrypt('same');
    const b = c.encrypt('same');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
  });

  it('refuses a wrong key with a typed error that quotes nothing', () => {
    const ct = createGcmCipher(key()).encrypt('s3cret-value-123');
    const err = (() => {
      try {
        createGcmCipher(key()).decrypt(ct);
      } catch (e) {
        return e as CipherAuthError;
      }
      throw new Error('expected failure');
    })();
    expect(err).toBeInstanceOf(CipherAuthError);
    expect(err.code).toBe('locked');
    expect(err.message).not.toContain('s3cret');
  });

  it('detects any single flipped bit (authentication tag)', () => {
    const c = createGcmCipher(key());
    const ct = c.encrypt('a secret worth protecting');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ct.length * 8 - 1 }), (bit) => {
        const bad = Buffer.from(ct);
        bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
        expect(() => c.decrypt(bad)).toThrow(CipherAuthError);
      }),
    );
  });

  it('refuses truncated input', () => {
    const c = createGcmCipher(key());
    expect(() => c.decrypt(Buffer.alloc(10))).toThrow(CipherAuthError);
    expect(() => c.decrypt(c.encrypt('x').subarray(0, 28))).toThrow(CipherAuthError);
  });

  it('property: arbitrary unicode round-trips', () => {
    const c = createGcmCipher(key());
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => c.decrypt(c.encrypt(s)) === s));
  });
});

describe('scrypt key derivation', () => {
  it('is deterministic per passphrase and salt, and NFC-normalises', async () => {
    const salt = randomBytes(16);
    const a = await deriveKey('caf\u00e9 passphrase', salt, FAST_SCRYPT);
    const b = await deriveKey('cafe\u0301 passphrase', salt, FAST_SCRYPT);
    const c = await deriveKey('cafe passphrase', salt, FAST_SCRYPT);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect((await deriveKey('caf\u00e9 passphrase', randomBytes(16), FAST_SCRYPT)).equals(a)).toBe(false);
  });

  it('bounds parameters that come from disk', async () => {
    expect(scryptParamsAcceptable({ N: 2 ** 15, r: 8, p: 1 })).toBe(true);
    expect(scryptParamsAcceptable({ N: 2 ** 17, r: 8, p: 1 })).toBe(true);
    expect(scryptParamsAcceptable({ N: 2 ** 30, r: 8, p: 1 })).toBe(false);
    expect(scryptParamsAcceptable({ N: 1000, r: 8, p: 1 })).toBe(false);
    expect(scryptParamsAcceptable({ N: 2 ** 4, r: 8, p: 1 })).toBe(false);
    await expect(deriveKey('x', randomBytes(16), { N: 2 ** 30, r: 8, p: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('works at the default cost, 2^17 (128 MiB: needs maxmem above Node’s 32 MiB default)', { timeout: 30_000 }, async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const k = await deriveKey('passphrase', randomBytes(16));
    expect(k).toHaveLength(32);
  });
});
