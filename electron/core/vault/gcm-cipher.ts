// SecretCipher for Node / browser mode (DESIGN §6): AES-256-GCM with a key derived by scrypt from the
// operator's passphrase. GCM authenticates as well as encrypts, so a wrong key or an altered byte is
// detected on decrypt instead of yielding garbage.
//
// Ciphertext layout (what `encrypt` returns): iv (12 random bytes, fresh per call) | tag (16) | data.
// The salt and scrypt parameters are not in it: they belong to the vault header, one per vault.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { OutpostError } from '../../../shared/errors';
import type { SecretCipher } from '../ports';

export const GCM_FORMAT = 'v1:gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
export const SALT_BYTES = 16;
export const MIN_GCM_CIPHERTEXT = IV_BYTES + TAG_BYTES;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * 2^17, r=8, p=1: OWASP's current minimum for scrypt (128 MiB, ~0.7 s on a 2-core EPYC). The vault
 * derives once per unlock, so the cost is paid when the operator types the passphrase, not per token.
 * Vaults written with less are re-encrypted at this cost on their next unlock (vault.ts).
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** True when `kdf` is cheaper to attack than `target`: the vault is upgraded at the next unlock. */
export const weakerThan = (kdf: ScryptParams, target: ScryptParams): boolean => kdf.N < target.N || kdf.r < target.r || kdf.p < target.p;

/**
 * The parameters come from the vault header, i.e. from disk: bound them so that an edited file cannot
 * make opening the vault allocate gigabytes or spin for minutes (and cannot weaken below 2^10).
 */
export function scryptParamsAcceptable({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = Number.isSafeInteger(N) && N > 1 && (N & (N - 1)) === 0;
  return powerOfTwo && N >= 2 ** 10 && N <= 2 ** 20 && r === 8 && p >= 1 && p <= 4;
}

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/** The maxmem handed to scrypt: twice what the parameters need, so Node never refuses a valid header. */
export const scryptMaxmem = (params: ScryptParams): number => 256 * params.N * params.r * params.p;

/**
 * Derives the 256-bit key. Asynchronous on purpose: scrypt runs on libuv's thread pool, so the
 * Electron main process keeps answering while it works. NFC normalisation makes "é" typed as one or
 * as two code points (macOS vs. Linux input methods) the same passphrase.
 */
export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams = DEFAULT_SCRYPT): Promise<Buffer> {
  if (!scryptParamsAcceptable(params)) {
    return Promise.reject(new OutpostError('invalid_input', 'Unsupported scrypt parameters.'));
  }
  // Node refuses when 128·N·r·p reaches maxmem (default 32 MiB; 2^17 needs 128 MiB): allow twice.
  const maxmem = scryptMaxmem(params);
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => {
      if (err) reject(new OutpostError('internal', 'The vault key could not be derived.'));
      else resolve(key);
    });
  });
}

/** Thrown by decrypt; deliberately says nothing about the bytes (they may be the secret's). */
export class CipherAuthError extends OutpostError {
  constructor() {
    super('locked', 'The data could not be decrypted: the key is wrong or the data was altered.');
    this.name = 'CipherAuthError';
  }
}

export function createGcmCipher(key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new OutpostError('internal', 'AES-256-GCM needs a 32-byte key.');
  const k = Buffer.from(key); // our own copy: the caller may wipe theirs
  return {
    format: GCM_FORMAT,
    encrypt(plaintext: string): Buffer {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decrypt(ciphertext: Buffer): string {
      if (ciphertext.length < MIN_GCM_CIPHERTEXT) throw new CipherAuthError();
      const iv = ciphertext.subarray(0, IV_BYTES);
      const tag = ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const data = ciphertext.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        throw new CipherAuthError();
      }
    },
  };
}
