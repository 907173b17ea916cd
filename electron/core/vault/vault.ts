// TokenVault (DESIGN §6): the operator's API secrets as ciphertext in one 0600 file, replaced
// atomically. Write-only outward: `status()` says which secrets exist, never what they are.
//
// `reveal()` is for core alone (building the Hetzner and Tailscale clients). Nothing in
// shared/contract.ts may return its result, put it in an event, a log line, an error or a DTO.
//
// Opening never prompts and survives a damaged file (load.ts). Status and clear need no key; the
// key is needed only to read or add a secret and is obtained on first use (`unlock`).
import { join } from 'node:path';
import { OutpostError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../log';
import { systemClock, type Clock, type SecretCipher } from '../ports';
import { registerSecret } from '../redact';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import { decryptEntry, verifyCheck } from './entries';
import { CHECK_PLAINTEXT, SAFE_FORMAT, VAULT_KIND, encodeTagged, packEntry, serializeVault, type VaultDocument, type VaultFormat } from './format';
import { DEFAULT_SCRYPT, GCM_FORMAT, createGcmCipher, deriveKey, newSalt, type ScryptParams } from './gcm-cipher';
import { loadVaultFile } from './load';
import { SECRET_NAMES, assertStorable, isSecretName, type SecretName, type SecretPresence } from './names';
import { assertNewPassphrase, type PassphraseSource } from './passphrase';
import { unavailableCipherError } from './messages';

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
    const { doc, notices } = loadVaultFile(path, options.clock ?? systemClock, options.logger ?? silentLogger);
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

  set(name: SecretName, value: string): Promise<void> {
    return this.setMany({ [name]: value });
  }

  /** Stores several secrets in one atomic write (the Tailscale client id and secret go together). */
  async setMany(values: Partial<Record<SecretName, string>>): Promise<void> {
    const pairs = Object.entries(values) as [SecretName, string][];
    for (const [name, value] of pairs) {
      if (!isSecretName(name)) throw new OutpostError('invalid_input', 'Unknown secret name.');
      assertStorable(name, value);
      registerSecret(value);
    }
    if (pairs.length === 0) return;
    return this.run(async () => {
      const { doc, cipher } = await this.writable();
      const updatedAt = this.nowIso();
      const entries = { ...doc.entries };
      for (const [name, value] of pairs) entries[name] = { value: encodeTagged(doc.cipher, cipher.encrypt(packEntry(name, value))), updatedAt };
      this.commit({ ...doc, entries }, cipher);
      this.logger.info('vault: stored', { entries: pairs.map(([name]) => name) });
    });
  }

  /** Removes secrets. Needs no key: it only drops ciphertext. */
  clear(...names: SecretName[]): Promise<void> {
    return this.run(async () => {
      const doc = this.doc;
      const present = names.filter((name) => doc?.entries[name]);
      if (!doc || present.length === 0) return;
      const entries = { ...doc.entries };
      for (const name of present) delete entries[name];
      this.commit({ ...doc, entries }, this.cipher);
      this.logger.info('vault: cleared', { entries: present });
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
    // A locked, empty vault holds nothing worth keeping, so it starts over with the best cipher
    // available here: that is how an operator who forgot the passphrase recovers (clear everything,
    // set again), and how a desktop-app vault emptied from the CLI becomes usable there.
    if (doc && (Object.keys(doc.entries).length > 0 || this.cipher)) {
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
