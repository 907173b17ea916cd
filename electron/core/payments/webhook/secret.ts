// The webhook's shared secret comes from the environment (OUTPOST_WEBHOOK_SECRET, and while rotating
// OUTPOST_WEBHOOK_SECRET_PREVIOUS): the sender is configured by whoever runs the server, who sets it
// where a service's secrets live (a systemd EnvironmentFile or credential, a container secret).
// Without it the endpoint is not mounted at all. The value is registered with the log redactor the
// moment it is read and is never returned by any channel.
import { OutpostError } from '../../../../shared/errors';
import { WEBHOOK_PREVIOUS_SECRET_ENV, WEBHOOK_SECRET_ENV } from '../../../../shared/webhook';
import { registerSecret } from '../../log';

/** 32 characters: e.g. `openssl rand -hex 32` gives 64. Shorter is guessable offline from one signed delivery. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

function check(name: string, value: string): string {
  registerSecret(value);
  if (value.length < MIN_WEBHOOK_SECRET_LENGTH || value.trim() !== value) {
    throw new OutpostError('invalid_input', `${name} must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters, without surrounding spaces (got ${value.length}).`, {
      hint: `Generate one with \`openssl rand -hex 32\`, set it in ${name} and in the sender, or unset ${name} to turn the payments webhook off.`,
    });
  }
  return value;
}

/** The secrets to accept, current first; null when the webhook is off (no secret set). */
export function webhookSecretsFrom(env: NodeJS.ProcessEnv): string[] | null {
  const current = env[WEBHOOK_SECRET_ENV];
  const previous = env[WEBHOOK_PREVIOUS_SECRET_ENV];
  if (!current) {
    if (previous) {
      throw new OutpostError('invalid_input', `${WEBHOOK_PREVIOUS_SECRET_ENV} is set but ${WEBHOOK_SECRET_ENV} is not.`, {
        hint: `The previous secret is only accepted beside the current one: set ${WEBHOOK_SECRET_ENV}, or unset both to turn the webhook off.`,
      });
    }
    return null;
  }
  const secrets = [check(WEBHOOK_SECRET_ENV, current)];
  if (previous) secrets.push(check(WEBHOOK_PREVIOUS_SECRET_ENV, previous));
  return secrets;
}
