// Shared set-up for vault tests: a temp data dir, a cheap scrypt cost (2^10: the format and the
// logic are the same as at 2^15, only faster), a scripted passphrase source and a fake keychain.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import type { SecretCipher } from '../../../electron/core/ports';
import { TokenVault, type TokenVaultOptions } from '../../../electron/core/vault';
import type { PassphrasePurpose, PassphraseSource } from '../../../electron/core/vault/passphrase';

export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
export const PASS = 'correct horse battery staple';

/** Answers every request with `pass` and records what was asked. */
export function scripted(pass: string = PASS): PassphraseSource & { asked: PassphrasePurpose[] } {
  const asked: PassphrasePurpose[] = [];
  const source = async (purpose: PassphrasePurpose) => {
    asked.push(purpose);
    return pass;
  };
  return Object.assign(source, { asked });
}

/** A reversible stand-in for safeStorage (XOR + marker): enough to exercise the v1:safe format. */
export function fakeSafeCipher(): SecretCipher {
  const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    format: 'v1:safe',
    encrypt: (plaintext) => Buffer.concat([Buffer.from('FAKE'), mask(Buffer.from(plaintext, 'utf8'))]),
    decrypt: (ciphertext) => {
      if (ciphertext.subarray(0, 4).toString() !== 'FAKE') throw new Error('not mine');
      return mask(ciphertext.subarray(4)).toString('utf8');
    },
  };
}

export function openGcm(dataDir: string, extra: Partial<TokenVaultOptions> = {}, pass: string = PASS) {
  return TokenVault.open({ dataDir, ciphers: { passphrase: scripted(pass) }, scrypt: FAST_SCRYPT, ...extra });
}

export const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
export const listDir = (dir: string) => readdirSync(dir).sort();

/** Rejects with the thrown value so tests can inspect code, message and hint. */
export async function caught(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; hint?: string };
  }
  throw new Error('expected a rejection');
}
