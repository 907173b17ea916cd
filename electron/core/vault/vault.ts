// TokenVault (DESIGN §6): the operator's API secrets as ciphertext in one 0600 file, replaced
// atomically. Write-only outward: `status()` says which secrets exist, never what they are.
//
// `reveal()` is for core alone (building the Hetzner and Tailscale clients). Nothing in
// shared/contract.ts may return its result, put it in an event, a log line, an error or a DTO.
//
// Opening never prompts and never fails on a damaged file: a file that cannot be parsed is moved
// aside (`vault.corrupt-<timestamp>`) and the app starts with an empty vault (sandbox mode still
// works). The key is needed only to read or add a secret; it is obtained on first use (`unlock`).
import { chmodSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OutpostError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../log';
import { systemClock, type Clock, type SecretCipher } from '../ports';
import { registerSecret } from '../redact';
import { PRIVATE_FILE_MODE, sweepTempFiles, writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import {
  CHECK_PLAINTEXT,
  SAFE_FORMAT,
  VAULT_KIND,
  encodeTagged,
  packEntry,
  parseTagged,
  parseVault,
  serializeVault,
  unpackEntry,
  type VaultDocument,
  type VaultFormat,
} from './format';
import { CipherAuthError, DEFAULT_SCRYPT, GCM_FORMAT, createGcmCipher, deriveKey, newSalt, type ScryptParams } from './gcm-cipher';
import { SECRET_LABELS, SECRET_NAMES, assertStorable, type SecretName, type SecretPresence } from './names';
import { assertNewPassphrase, type PassphraseSource } from './passphrase';
import { unavailableCipherError, wrongKeyError } from './messages';

/** What the shell can offer. Electron: `safe` (and maybe a passphrase dialog); Node: `passphrase`. */
export interface VaultCiphers {
  /** Electron safeStorage cipher (format `v1:safe`); preferred for new vaults when present. */
  safe?: SecretCipher;
  /** Source of the AES-GCM passphrase (`OUTPOST_PASSPHRASE` or a prompt). */
  passphrase?: PassphraseSource;
}

export interface TokenVaultOptions {
  dataDir: string;
  /** Default `vault.json`. */
  fileName?: string;
  ciphers: VaultCiphers;
  /** scrypt cost for new vaults and new passphrases (existing vaults use their header's). */
  scrypt?: ScryptParams;
  logger?: Logger;
  clock?: Clock;
  /** Test seam for crash simulation. */
  hooks?: AtomicWriteHooks;
}

export const VAULT_FILE = 'vault.json';

export class TokenVault {
  /** Things the operator should be told after opening (e.g. a damaged file moved aside). */
  readonly notices: readonly string[];
  private doc: VaultDocument | null;
  private cipher: SecretCipher | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly options: TokenVaultOptions,
    doc: VaultDocument | null,
    notices: string[],
  ) {
    this.doc = doc;
    this.notices = notices;
  }

  static async open(options: TokenVaultOptions): Promise<TokenVault> {
    const path = join(options.dataDir, options.fileName ?? VAULT_FILE);
    const logger = options.logger ?? silentLogger;
    const notices: string[] = [];
    sweepTempFiles(path);
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        throw new OutpostError('unavailable', `The token vault could not be read (${code ?? 'I/O error'}).`, {
          hint: `Check the permissions of ${path}.`,
        });
      }
    }
    let doc: VaultDocument | null = null;
    if (bytes !== null) {
      const parsed = parseVault(bytes);
      if (parsed.ok) {
        doc = parsed.doc;
        tightenMode(path, logger, notices);
      } else {
        const movedTo = moveAside(path, options.clock ?? systemClock);
        const notice = `The token vault could not be read: ${parsed.reason}. It was moved to ${basename(movedTo)} and Outpost started with an empty vault; enter the tokens again.`;
        notices.push(notice);
        logger.warn('vault: damaged file moved aside', { reason: parsed.reason, movedTo });
      }
    }
    return new TokenVault(path, options, doc, notices);
  }

  /** The cipher format of the file on disk; null while there is none. */
  get format(): VaultFormat | null {
    return this.doc?.cipher ?? null;
  }

  /** True when secrets are stored but the key has not been obtained yet. */
  get locked(): boolean {
    return this.doc !== null && this.cipher === null;
  }

  /** Which secrets exist. Never values, never ciphertext; works while locked. */
  status(): Record<SecretName, SecretPresence> {
    const out = {} as Record<SecretName, SecretPresence>;
    for (const name of SECRET_NAMES) out[name] = this.doc?.entries[name] ? 'stored' : 'missing';
    return out;
  }

  /** When a secret was last set (ISO), or null. Not secret; lets callers tell a check is stale. */
  updatedAt(name: SecretName): string | null {
    return this.doc?.entries[name]?.updatedAt ?? null;
  }

  /** Obtains the key (passphrase or keychain) and verifies it against the check value. */
  unlock(): Promise<void> {
    return this.run(() => this.unlockNow());
  }

  /** Forgets the key; the next read or write asks again. */
  lock(): void {
    this.cipher = null;
  }

  async set(name: SecretName, value: string): Promise<void> {
    assertStorable(name, value);
    registerSecret(value);
    return this.run(async () => {
      const { doc, cipher } = await this.writable();
      const entry = { value: encodeTagged(doc.cipher, cipher.encrypt(packEntry(name, value))), updatedAt: this.nowIso() };
      this.commit({ ...doc, entries: { ...doc.entries, [name]: entry } }, cipher);
      this.logger.info('vault: secret stored', { entry: name });
    });
  }

  /** Removes a secret. Needs no key: it only drops ciphertext. */
  clear(name: SecretName): Promise<void> {
    return this.run(async () => {
      const doc = this.doc;
      if (!doc?.entries[name]) return;
      const entries = { ...doc.entries };
      delete entries[name];
      this.commit({ ...doc, entries }, this.cipher);
      this.logger.info('vault: secret cleared', { entry: name });
    });
  }

  /**
   * CORE ONLY: the plaintext, to build an API client. Never return it through the contract, never
   * log it. The value is registered with the logger's redaction before it is handed out.
   */
  reveal(name: SecretName): Promise<string | null> {
    return this.run(async () => {
      const entry = this.doc?.entries[name];
      if (!entry) return null;
      await this.unlockNow();
      const cipher = this.cipher as SecretCipher;
      const value = decryptEntry(cipher, name, entry.value);
      registerSecret(value);
      return value;
    });
  }

  /** Re-encrypts everything under a new passphrase (new salt). A wrong `current` changes nothing. */
  changePassphrase(current: string, next: string): Promise<void> {
    registerSecret(current);
    registerSecret(next);
    return this.run(async () => {
      const doc = this.doc;
      if (!doc) throw new OutpostError('invalid_input', 'There is no vault yet: its passphrase is chosen when the first token is saved.');
      if (doc.cipher !== GCM_FORMAT || !doc.kdf) {
        throw new OutpostError('invalid_input', 'This vault is protected by the system keychain and has no passphrase.');
      }
      assertNewPassphrase(next);
      const oldCipher = createGcmCipher(await deriveKey(current, Buffer.from(doc.kdf.salt, 'base64'), doc.kdf));
      verifyCheck(oldCipher, doc);
      const plain = Object.entries(doc.entries).map(([name, e]) => [name, decryptEntry(oldCipher, name, e.value), e.updatedAt] as const);
      const fresh = await this.freshGcm(next);
      const entries: VaultDocument['entries'] = {};
      for (const [name, value, updatedAt] of plain) {
        entries[name] = { value: encodeTagged(GCM_FORMAT, fresh.cipher.encrypt(packEntry(name, value))), updatedAt };
      }
      this.commit({ ...fresh.doc, entries }, fresh.cipher);
      this.logger.info('vault: passphrase changed', { entries: plain.length });
    });
  }

  // ---- internals ----

  private get logger(): Logger {
    return this.options.logger ?? silentLogger;
  }

  private nowIso(): string {
    return new Date((this.options.clock ?? systemClock).now()).toISOString();
  }

  /** Serialises every operation: no interleaved read-modify-write, one prompt at a time. */
  private run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Writes first, then adopts: memory never claims what the disk does not hold. */
  private commit(doc: VaultDocument, cipher: SecretCipher | null): void {
    writeFileAtomic(this.path, serializeVault(doc), this.options.hooks);
    this.doc = doc;
    this.cipher = cipher;
  }

  private async unlockNow(): Promise<void> {
    const doc = this.doc;
    if (this.cipher || !doc) return;
    const { ciphers } = this.options;
    let cipher: SecretCipher;
    if (doc.cipher === SAFE_FORMAT) {
      if (!ciphers.safe) throw unavailableCipherError(SAFE_FORMAT);
      cipher = ciphers.safe;
    } else {
      if (!ciphers.passphrase || !doc.kdf) throw unavailableCipherError(GCM_FORMAT);
      const passphrase = await ciphers.passphrase('unlock');
      registerSecret(passphrase);
      cipher = createGcmCipher(await deriveKey(passphrase, Buffer.from(doc.kdf.salt, 'base64'), doc.kdf));
    }
    verifyCheck(cipher, doc);
    this.cipher = cipher;
  }

  /** The document and cipher to add a secret with, creating a vault when there is none to keep. */
  private async writable(): Promise<{ doc: VaultDocument; cipher: SecretCipher }> {
    const doc = this.doc;
    const usable = doc && (doc.cipher === SAFE_FORMAT ? this.options.ciphers.safe : this.options.ciphers.passphrase);
    // An empty vault whose cipher is unavailable here (e.g. a desktop-app vault opened from the CLI)
    // holds nothing worth keeping: start a new one with the cipher we have.
    if (doc && (usable || Object.keys(doc.entries).length > 0)) {
      await this.unlockNow();
      return { doc, cipher: this.cipher as SecretCipher };
    }
    const { safe, passphrase } = this.options.ciphers;
    if (safe) {
      if (safe.format !== SAFE_FORMAT) throw new OutpostError('internal', `Unexpected keychain cipher format ${safe.format}.`);
      return { doc: { kind: VAULT_KIND, version: 1, cipher: SAFE_FORMAT, check: encodeTagged(SAFE_FORMAT, safe.encrypt(CHECK_PLAINTEXT)), entries: {} }, cipher: safe };
    }
    if (passphrase) return this.freshGcm(await passphrase('create'));
    throw new OutpostError('locked', 'No way to encrypt tokens is available.', {
      hint: 'Use the desktop app with a system keychain, or set OUTPOST_PASSPHRASE.',
    });
  }

  private async freshGcm(passphrase: string): Promise<{ doc: VaultDocument; cipher: SecretCipher }> {
    assertNewPassphrase(passphrase);
    registerSecret(passphrase);
    const params = this.options.scrypt ?? DEFAULT_SCRYPT;
    const salt = newSalt();
    const cipher = createGcmCipher(await deriveKey(passphrase, salt, params));
    const doc: VaultDocument = {
      kind: VAULT_KIND,
      version: 1,
      cipher: GCM_FORMAT,
      kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
      check: encodeTagged(GCM_FORMAT, cipher.encrypt(CHECK_PLAINTEXT)),
      entries: {},
    };
    return { doc, cipher };
  }
}

/** The check value proves the key before any secret is touched. */
function verifyCheck(cipher: SecretCipher, doc: VaultDocument): void {
  const tagged = parseTagged(doc.check);
  let ok = false;
  try {
    ok = tagged !== null && cipher.decrypt(tagged.bytes) === CHECK_PLAINTEXT;
  } catch (err) {
    // The keychain's own refusals (unavailable, basic_text) say more than "wrong key" would.
    if (err instanceof OutpostError && !(err instanceof CipherAuthError)) throw err;
  }
  if (!ok) throw wrongKeyError(doc.cipher);
}

function decryptEntry(cipher: SecretCipher, name: string, text: string): string {
  const label = name in SECRET_LABELS ? SECRET_LABELS[name as SecretName] : `secret '${name}'`;
  const damaged = () =>
    new OutpostError('locked', `The stored ${label} could not be decrypted: the vault file was altered or damaged.`, {
      hint: 'Enter it again; saving it replaces the damaged value.',
    });
  const tagged = parseTagged(text);
  if (!tagged) throw damaged();
  let plaintext: string;
  try {
    plaintext = cipher.decrypt(tagged.bytes);
  } catch (err) {
    if (err instanceof CipherAuthError || !(err instanceof OutpostError)) throw damaged();
    throw err; // e.g. the keychain became unavailable: its own message is the right one
  }
  const value = unpackEntry(name, plaintext);
  if (value === null) throw damaged();
  return value;
}

function moveAside(path: string, clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const base = path.replace(/\.json$/, '');
  let target = `${base}.corrupt-${stamp}`;
  for (let i = 1; existsSync(target); i++) target = `${base}.corrupt-${stamp}-${i}`;
  renameSync(path, target);
  return target;
}

/** A vault readable by others (copied around, restored from a backup) is put back to 0600. */
function tightenMode(path: string, logger: Logger, notices: string[]): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(path, PRIVATE_FILE_MODE);
  notices.push(`The token vault was readable by other users (mode ${mode.toString(8)}); its mode is now 600.`);
  logger.warn('vault: permissions tightened', { mode: mode.toString(8) });
}
