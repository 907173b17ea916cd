// TokenVault and its ciphers. See vault.ts for the rules (write-only outward; reveal is core-only).
export { TokenVault, VAULT_FILE, type TokenVaultOptions, type VaultCiphers } from './vault';
export { SECRET_NAMES, SECRET_LABELS, isSecretName, type SecretName, type SecretPresence } from './names';
export { GCM_FORMAT, DEFAULT_SCRYPT, createGcmCipher, deriveKey, type ScryptParams } from './gcm-cipher';
export { SAFE_FORMAT, KNOWN_FORMATS, type VaultFormat } from './format';
export {
  PASSPHRASE_ENV,
  MIN_PASSPHRASE_LENGTH,
  passphraseSource,
  fixedPassphrase,
  type PromptPort,
  type PassphraseSource,
  type PassphrasePurpose,
} from './passphrase';
export { createTtyPrompt, type TtyPromptOptions } from './prompt';
export { writeFileAtomic, PRIVATE_FILE_MODE } from './atomic-file';
