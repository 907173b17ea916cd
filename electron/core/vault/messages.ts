// The vault's operator-facing refusals, in one place so that they stay consistent and are easy to
// test. None of them may ever contain a secret, a passphrase or a ciphertext.
import { OutpostError } from '../../../shared/errors';
import { PASSPHRASE_ENV } from './passphrase';

/** The file is fine, but the cipher it was written with is not available in this process. */
export function unavailableCipherError(format: string): OutpostError {
  if (format === 'v1:safe') {
    return new OutpostError(
      'locked',
      'The token vault was written by the Outpost desktop app with the system keychain (safeStorage), which is not available here.',
      { hint: 'Open it with the desktop app, or clear the tokens and enter them again here (they will then be protected with a passphrase).' },
    );
  }
  return new OutpostError('locked', 'The token vault is protected with a passphrase, and no passphrase can be asked for here.', {
    hint: `Set ${PASSPHRASE_ENV}, or run Outpost from a terminal so that it can ask for it.`,
  });
}

/** The check value did not decrypt: the key is not the one the vault was written with. */
export function wrongKeyError(format: string): OutpostError {
  if (format === 'v1:safe') {
    return new OutpostError('locked', 'The system keychain cannot decrypt the token vault (the keychain changed, or the file was altered).', {
      hint: 'Clear the tokens and enter them again.',
    });
  }
  return new OutpostError('locked', 'The vault passphrase is wrong (or the vault file was altered). Nothing was changed.', {
    hint: `Enter the passphrase the vault was created with (or fix ${PASSPHRASE_ENV}).`,
  });
}
