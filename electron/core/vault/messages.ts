// The vault's operator-facing refusals, in one place so that they stay consistent and are easy to
// test. None of them may ever contain a secret, a passphrase or a ciphertext.
import { OutpostError } from '../../../shared/errors';
import { VAULT_RESET_PHRASE } from '../../../shared/tokens';
import { PASSPHRASE_ENV } from './passphrase';

/**
 * The only way out of a vault whose key is gone. Said wherever a locked vault refuses, so that the
 * operator learns the way out and what it costs instead of hunting for the file to delete.
 */
export const RESET_HOW = `reset the vault (Settings → Tokens → Reset the vault, or \`outpost vault reset --confirm "${VAULT_RESET_PHRASE}"\`): that deletes every stored token, which must then be entered again`;

/** The file is fine, but the cipher it was written with is not available in this process. */
export function unavailableCipherError(format: string): OutpostError {
  if (format === 'v1:safe') {
    return new OutpostError(
      'locked',
      'The token vault was written by the Outpost desktop app with the system keychain (safeStorage), which is not available here. Nothing was changed.',
      { hint: `Open it with the desktop app. To use other tokens here instead, ${RESET_HOW}.` },
    );
  }
  return new OutpostError('locked', 'The token vault is protected with a passphrase, and no passphrase can be asked for here. Nothing was changed.', {
    hint: `Set ${PASSPHRASE_ENV}, or run Outpost from a terminal so that it can ask for it. If the passphrase is lost, ${RESET_HOW}.`,
  });
}

/** The check value did not decrypt: the key is not the one the vault was written with. */
export function wrongKeyError(format: string): OutpostError {
  if (format === 'v1:safe') {
    return new OutpostError('locked', 'The system keychain cannot decrypt the token vault (the keychain changed, or the file was altered). Nothing was changed.', {
      hint: `If the keychain changed for good, ${RESET_HOW}.`,
    });
  }
  return new OutpostError('locked', 'The vault passphrase is wrong (or the vault file was altered). Nothing was changed.', {
    hint: `Enter the passphrase the vault was created with (or fix ${PASSPHRASE_ENV}). If it is lost, ${RESET_HOW}.`,
  });
}
