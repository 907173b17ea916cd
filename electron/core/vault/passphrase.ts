// Where the AES-GCM passphrase comes from: `OUTPOST_PASSPHRASE`, else a prompt the shell supplies
// (the CLI: a hidden TTY prompt, see prompt.ts; tests: a fake). Core never reads a terminal itself.
import { OutpostError } from '../../../shared/errors';
import { registerSecret } from '../redact';

/** Asks the operator one question and resolves with the answer (input hidden by the implementation). */
export type PromptPort = (question: string) => Promise<string>;

/** `create`: a new vault or a new passphrase (asked twice); `unlock`: an existing vault. */
export type PassphrasePurpose = 'unlock' | 'create';
export type PassphraseSource = (purpose: PassphrasePurpose) => Promise<string>;

export const PASSPHRASE_ENV = 'OUTPOST_PASSPHRASE';
/**
 * For NEW vaults and new passphrases only: a vault created with a shorter one (the minimum used to
 * be 8) still opens, since refusing it would lock the operator out of their own tokens.
 */
export const MIN_PASSPHRASE_LENGTH = 12;

export interface PassphraseSourceOptions {
  env?: Record<string, string | undefined>;
  prompt?: PromptPort;
}

/**
 * Rejects passphrases too weak to protect API tokens; only asked of new passphrases. `field` names
 * where it came from (the prompt, or the OUTPOST_PASSPHRASE variable) so the operator knows what to fix.
 * Length counts characters (code points), not UTF-16 units or bytes.
 */
export function assertNewPassphrase(passphrase: string, field = 'The new vault passphrase'): void {
  const length = [...passphrase].length;
  if (length < MIN_PASSPHRASE_LENGTH) {
    throw new OutpostError('invalid_input', `${field} has ${length} characters; a new vault passphrase needs at least ${MIN_PASSPHRASE_LENGTH}. Nothing was stored.`, {
      hint: 'Choose a longer one: a few unrelated words are easy to type and hard to guess.',
    });
  }
}

export function passphraseSource(options: PassphraseSourceOptions = {}): PassphraseSource {
  const env = options.env ?? process.env;
  return async (purpose) => {
    const fromEnv = env[PASSPHRASE_ENV];
    if (fromEnv !== undefined && fromEnv !== '') {
      registerSecret(fromEnv);
      if (purpose === 'create') assertNewPassphrase(fromEnv, PASSPHRASE_ENV);
      return fromEnv;
    }
    const prompt = options.prompt;
    if (!prompt) {
      throw new OutpostError('locked', 'The vault needs a passphrase and none was given.', {
        hint: `Set ${PASSPHRASE_ENV} or run Outpost from a terminal so that it can ask.`,
      });
    }
    if (purpose === 'unlock') {
      const answer = await prompt('Outpost vault passphrase: ');
      registerSecret(answer);
      if (answer === '') throw new OutpostError('locked', 'No passphrase was entered.');
      return answer;
    }
    const first = await prompt('Choose a passphrase for the Outpost vault: ');
    registerSecret(first);
    assertNewPassphrase(first);
    const second = await prompt('Repeat the passphrase: ');
    if (first !== second) throw new OutpostError('invalid_input', 'The two passphrases differ; nothing was changed.');
    return first;
  };
}

/** A fixed passphrase (tests, or a shell that already asked). */
export const fixedPassphrase =
  (passphrase: string): PassphraseSource =>
  async () => {
    registerSecret(passphrase);
    return passphrase;
  };
