// SecretCipher over Electron's safeStorage (DESIGN §6). It refuses rather than degrade: with no OS
// keychain, or on Linux's `basic_text` backend (a hard-coded key, i.e. plaintext in disguise), tokens
// are not written unless the operator explicitly accepted that.
import { safeStorage as electronSafeStorage } from 'electron';
import { OutpostError } from '../../../shared/errors';
import type { SecretCipher } from '../../core/ports';

export const SAFE_STORAGE_FORMAT = 'v1:safe';

/** The slice of safeStorage used here (tests pass the stub). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface SafeStorageCipherOptions {
  /**
   * The operator accepted Linux's basic_text backend (obfuscation, not encryption). A function is
   * asked on every use, so accepting it in Settings applies without a restart (and so does taking it back).
   */
  acceptBasicText?: boolean | (() => boolean);
  platform?: NodeJS.Platform;
  safeStorage?: SafeStorageLike;
}

export type CipherReadiness = { ok: true } | { ok: false; reason: 'unavailable' | 'basic_text' | 'not_ready' };

/** Whether the cipher may be used now; the settings screen shows the reason. */
export function safeStorageReadiness(opts: SafeStorageCipherOptions = {}): CipherReadiness {
  const storage = opts.safeStorage ?? electronSafeStorage;
  if (!storage.isEncryptionAvailable()) return { ok: false, reason: 'unavailable' };
  // getSelectedStorageBackend exists only on Linux; elsewhere the OS keychain is always real.
  if ((opts.platform ?? process.platform) !== 'linux') return { ok: true };
  const backend = storage.getSelectedStorageBackend();
  if (backend === 'unknown') return { ok: false, reason: 'not_ready' }; // asked before app 'ready'
  const accepted = typeof opts.acceptBasicText === 'function' ? opts.acceptBasicText() : opts.acceptBasicText;
  if (backend === 'basic_text' && accepted !== true) return { ok: false, reason: 'basic_text' };
  return { ok: true };
}

const REFUSALS: Record<Exclude<CipherReadiness, { ok: true }>['reason'], [string, string]> = {
  unavailable: [
    'The operating system keychain is not available, so tokens cannot be stored securely.',
    'Unlock or install a keychain (GNOME Keyring, KWallet, macOS Keychain), or run Outpost in browser mode with a passphrase.',
  ],
  basic_text: [
    'This system offers only basic_text storage, which does not really encrypt tokens.',
    'Install a Secret Service keychain (GNOME Keyring, KWallet), or allow basic_text in Settings → Token storage on this computer, knowing that any program running as you can then read the tokens.',
  ],
  not_ready: ['Secure storage is not ready yet.', 'Try again in a moment.'],
};

export function createSafeStorageCipher(opts: SafeStorageCipherOptions = {}): SecretCipher {
  const storage = opts.safeStorage ?? electronSafeStorage;
  // Checked on every call, not once: availability is only known after 'ready' and a keyring can lock.
  const assertUsable = (): void => {
    const readiness = safeStorageReadiness({ ...opts, safeStorage: storage });
    if (readiness.ok) return;
    const [message, hint] = REFUSALS[readiness.reason];
    throw new OutpostError('locked', message, { hint });
  };
  return {
    format: SAFE_STORAGE_FORMAT,
    encrypt(plaintext: string): Buffer {
      assertUsable();
      return storage.encryptString(plaintext);
    },
    decrypt(ciphertext: Buffer): string {
      assertUsable();
      try {
        return storage.decryptString(ciphertext);
      } catch {
        // The underlying message may quote bytes of the ciphertext; say only what happened.
        throw new OutpostError('locked', 'A stored token could not be decrypted with this keychain.', {
          hint: 'The keychain may have changed. Enter the token again in Settings.',
        });
      }
    },
  };
}
