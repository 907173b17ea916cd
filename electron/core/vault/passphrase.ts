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
export const MIN_PASSPHRASE_LENGTH = 8;

export interface PassphraseSourceOptions {
  env?: Record<string, string | undefined>;
  prompt?: PromptPort;
}

/** Rejects passphrases too weak to protect API tokens; only asked of new passphrases. */
export function assertNewPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new OutpostError('invalid_input', `The vault passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
}

export function passphraseSource(options: PassphraseSourceOptions = {}): PassphraseSource {
  const env = options.env ?? process.env;
  return async (purpose) => {
    const fromEnv = env[PASSPHRASE_ENV];
    if (fromEnv !== undefined && fromEnv !== '') {
      registerSecret(fromEnv);
      if (purpose === 'create') assertNewPassphrase(fromEnv);
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
