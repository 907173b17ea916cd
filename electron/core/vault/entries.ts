// Decrypting what the vault holds: the check value (is this the right key?) and single entries
// (is this value intact and filed under its own name?). Errors name the secret, never its bytes.
import { OutpostError } from '../../../shared/errors';
import type { SecretCipher } from '../ports';
import { CHECK_PLAINTEXT, parseTagged, unpackEntry, type VaultDocument } from './format';
import { CipherAuthError } from './gcm-cipher';
import { wrongKeyError } from './messages';
import { SECRET_LABELS, type SecretName } from './names';

/** The check value proves the key before any secret is touched. */
export function verifyCheck(cipher: SecretCipher, doc: VaultDocument): void {
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

export function decryptEntry(cipher: SecretCipher, name: string, text: string): string {
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
