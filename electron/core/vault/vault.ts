// TokenVault (DESIGN §6): the operator's API secrets as ciphertext in one 0600 file, replaced
// atomically. Write-only outward: `status()` says which secrets exist, never what they are.
//
// `reveal()` is for core alone (building the Hetzner and Tailscale clients). Nothing in
// shared/contract.ts may return its result, put it in an event, a log line, an error or a DTO.
//
// Opening never prompts and survives a damaged file (load.ts). Status needs no key. Every change
// needs the key, obtained on first use (`unlock`): a locked vault changes nothing, so nobody can
// empty it and re-create it under a passphrase of their own. The one exception is `reset`, the
// explicit, confirmed way out for an operator whose passphrase is lost: it deletes everything.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OutpostError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../log';
import { systemClock, type Clock, type SecretCipher } from '../ports';
import { registerSecret } from '../redact';
import { syncDir, writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import { decryptEntry, verifyCheck } from './entries';
import { CHECK_PLAINTEXT, SAFE_FORMAT, VAULT_KIND, encodeTagged, packEntry, serializeVault, type VaultDocument, type VaultFormat } from './format';
import { DEFAULT_SCRYPT, GCM_FORMAT, createGcmCipher, deriveKey, newSalt, weakerThan, type ScryptParams } from './gcm-cipher';
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
  /**
   * scrypt cost for new vaults and new passphrases; an existing vault with a weaker header is
   * re-encrypted at this cost on its next unlock. Default DEFAULT_SCRYPT (2^17): tests pass less.
   */
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

  /**
   * Removes secrets. Needs the key although it only drops ciphertext: otherwise anyone at a locked
   * vault could empty it and then store tokens of their own under a new passphrase.
   */
  clear(...names: SecretName[]): Promise<void> {
    return this.run(async () => {
      if (!names.some((name) => this.doc?.entries[name])) return;
      await this.unlockNow();
      const doc = this.doc as VaultDocument;
      const present = names.filter((name) => doc.entries[name]);
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
      if (!this.doc?.entries[name]) return null;
      await this.unlockNow(); // may re-encrypt (a KDF upgrade): read the entry only after it
      const entry = this.doc.entries[name] as VaultDocument['entries'][string];
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
      await this.reencrypt(doc, oldCipher, next);
      this.logger.info('vault: passphrase changed', { entries: Object.keys(doc.entries).length });
    });
  }

  /**
   * Deletes the vault file and forgets the key: every stored secret is lost, on purpose. Needs no
   * key — it is the way out when the passphrase is lost or the keychain changed. The caller asks
   * for the confirmation and says what will be lost (TokenService.reset, the CLI, Settings).
   */
  reset(): Promise<SecretName[]> {
    return this.run(async () => {
      const lost = SECRET_NAMES.filter((name) => this.doc?.entries[name]);
      rmSync(this.path, { force: true });
      syncDir(dirname(this.path));
      this.doc = null;
      this.cipher = null;
      this.logger.warn('vault: reset, every stored secret deleted', { entries: lost });
      return lost;
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

  /** The cost new keys are derived at, and below which an existing vault is upgraded. */
  private get targetScrypt(): ScryptParams {
    return this.options.scrypt ?? DEFAULT_SCRYPT;
  }

  private async unlockNow(): Promise<void> {
    const doc = this.doc;
    if (this.cipher || !doc) return;
    const { ciphers } = this.options;
    if (doc.cipher === SAFE_FORMAT) {
      if (!ciphers.safe) throw unavailableCipherError(SAFE_FORMAT);
      verifyCheck(ciphers.safe, doc);
      this.cipher = ciphers.safe;
      return;
    }
    if (!ciphers.passphrase || !doc.kdf) throw unavailableCipherError(GCM_FORMAT);
    const passphrase = await ciphers.passphrase('unlock');
    registerSecret(passphrase);
    const cipher = createGcmCipher(await deriveKey(passphrase, Buffer.from(doc.kdf.salt, 'base64'), doc.kdf));
    verifyCheck(cipher, doc);
    this.cipher = cipher;
    if (weakerThan(doc.kdf, this.targetScrypt)) await this.upgradeKdf(doc, cipher, passphrase);
  }

  /**
   * A vault written with a weaker scrypt cost (2^15 before) is re-encrypted at the current one, under
   * the same passphrase (never checked against today's minimum length: it is not new, and refusing
   * it would lock the operator out). Best effort: if an entry is damaged or the write fails, the
   * vault stays as it was, still unlocked, and the upgrade is tried again at the next unlock.
   */
  private async upgradeKdf(doc: VaultDocument, cipher: SecretCipher, passphrase: string): Promise<void> {
    const from = doc.kdf?.N;
    try {
      await this.reencrypt(doc, cipher, passphrase);
      this.logger.info('vault: re-encrypted with a stronger key derivation', { fromN: from, toN: this.targetScrypt.N });
    } catch (err) {
      this.logger.warn('vault: could not re-encrypt with a stronger key derivation; kept as it was', {
        code: err instanceof OutpostError ? err.code : 'internal',
      });
    }
  }

  /** Every entry decrypted with `oldCipher` and written again under a fresh key from `passphrase`. */
  private async reencrypt(doc: VaultDocument, oldCipher: SecretCipher, passphrase: string): Promise<void> {
    const plain = Object.entries(doc.entries).map(([name, e]) => [name, decryptEntry(oldCipher, name, e.value), e.updatedAt] as const);
    const fresh = await this.freshGcm(passphrase);
    const entries: VaultDocument['entries'] = {};
    for (const [name, value, updatedAt] of plain) {
      entries[name] = { value: encodeTagged(GCM_FORMAT, fresh.cipher.encrypt(packEntry(name, value))), updatedAt };
    }
    this.commit({ ...fresh.doc, entries }, fresh.cipher);
  }

  /**
   * The document and cipher to add a secret with. An existing vault — even an emptied one — is
   * unlocked first: only where there is no vault file at all is a new one (a new passphrase) made.
   */
  private async writable(): Promise<{ doc: VaultDocument; cipher: SecretCipher }> {
    if (this.doc) {
      await this.unlockNow();
      return { doc: this.doc, cipher: this.cipher as SecretCipher };
    }
    const { safe, passphrase } = this.options.ciphers;
    if (safe) {
      if (safe.format !== SAFE_FORMAT) throw new OutpostError('internal', `Unexpected keychain cipher format ${safe.format}.`);
      return { doc: { kind: VAULT_KIND, version: 1, cipher: SAFE_FORMAT, check: encodeTagged(SAFE_FORMAT, safe.encrypt(CHECK_PLAINTEXT)), entries: {} }, cipher: safe };
    }
    if (passphrase) {
      const chosen = await passphrase('create');
      assertNewPassphrase(chosen);
      return this.freshGcm(chosen);
    }
    throw new OutpostError('locked', 'No way to encrypt tokens is available.', {
      hint: 'Use the desktop app with a system keychain, or set OUTPOST_PASSPHRASE.',
    });
  }

  /** A new salt and key at the target cost; the caller decides whether the passphrase must be new-strength. */
  private async freshGcm(passphrase: string): Promise<{ doc: VaultDocument; cipher: SecretCipher }> {
    registerSecret(passphrase);
    const params = this.targetScrypt;
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
