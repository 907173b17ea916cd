// Shared set-up for vault tests: a temp data dir, a cheap scrypt cost (2^10: the format and the
// logic are the same as at the production 2^17, only faster — vault.test.ts proves the default is
// 2^17), a scripted passphrase source, a fake keychain and a writer of vaults as older Outposts left them.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import type { SecretCipher } from '../../../electron/core/ports';
import { TokenVault, type TokenVaultOptions } from '../../../electron/core/vault';
import { CHECK_PLAINTEXT, encodeTagged, packEntry, serializeVault } from '../../../electron/core/vault/format';
import { createGcmCipher, deriveKey, GCM_FORMAT, newSalt, type ScryptParams } from '../../../electron/core/vault/gcm-cipher';
import { writeFileAtomic } from '../../../electron/core/vault/atomic-file';
import { join } from 'node:path';
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

/**
 * Writes vault.json the way an older Outpost did (any scrypt cost, any passphrase length — the
 * minimum used to be 8), straight from the documented format, bypassing today's checks.
 */
export async function writeLegacyVault(dataDir: string, passphrase: string, kdf: ScryptParams, secrets: Record<string, string>): Promise<void> {
  const salt = newSalt();
  const cipher = createGcmCipher(await deriveKey(passphrase, salt, kdf));
  const entries: Record<string, { value: string; updatedAt: string }> = {};
  for (const [name, value] of Object.entries(secrets)) {
    entries[name] = { value: encodeTagged(GCM_FORMAT, cipher.encrypt(packEntry(name, value))), updatedAt: '2025-01-02T03:04:05.000Z' };
  }
  const doc = {
    kind: 'outpost-vault' as const,
    version: 1 as const,
    cipher: GCM_FORMAT as typeof GCM_FORMAT,
    kdf: { name: 'scrypt' as const, ...kdf, salt: salt.toString('base64') },
    check: encodeTagged(GCM_FORMAT, cipher.encrypt(CHECK_PLAINTEXT)),
    entries,
  };
  writeFileAtomic(join(dataDir, 'vault.json'), serializeVault(doc));
}
