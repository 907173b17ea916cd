// "Reset the vault": the way out when the passphrase is lost or the keychain changed. Every stored
// token is deleted without the key, so it is a separate action from Remove, says first what will be
// lost, and goes ahead only once the phrase is typed (core checks the phrase again, and audits it).
import { useState } from 'react';
import { VAULT_RESET_PHRASE, type TokenStatus } from '../../../../shared/tokens';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { GuardedButton } from '../../components/GuardedButton';
import { useChannelMutation } from '../../queries/use-channel';

const STORED: Record<'hetzner' | 'tailscale', string> = { hetzner: 'the Hetzner API token', tailscale: 'the Tailscale OAuth client (id and secret)' };

/** What a reset deletes, in words: the same sentence before and after the click. */
export function resetLoss(status: TokenStatus): string {
  const stored = (['hetzner', 'tailscale'] as const).filter((p) => status[p].state !== 'missing').map((p) => STORED[p]);
  if (stored.length === 0) return 'The vault holds no token: a reset deletes only the vault file and its passphrase.';
  return `This deletes ${stored.join(' and ')} for good; you will have to enter them again. VMs, jobs and settings are kept.`;
}

export function VaultReset({ status }: { status: TokenStatus }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const reset = useChannelMutation('tokens:reset', ['tokens:status', 'app:info']);
  if (status.vault.format === null) return null; // no vault file: nothing to reset
  const close = () => {
    setOpen(false);
    setTyped('');
  };
  if (!open) {
    return (
      <div className="job-actions">
        <GuardedButton channel="tokens:reset" className="btn" onClick={() => setOpen(true)}>
          Reset the vault…
        </GuardedButton>
      </div>
    );
  }
  return (
    <div role="alertdialog" aria-labelledby="vault-reset-title" aria-describedby="vault-reset-text" className="confirm-panel">
      <h3 id="vault-reset-title">Reset the vault?</h3>
      <p id="vault-reset-text">
        For a vault whose passphrase is lost, or that this computer&apos;s keychain can no longer open. {resetLoss(status)} If you still know the
        passphrase, remove the tokens one by one instead.
      </p>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === VAULT_RESET_PHRASE) reset.mutate({ confirm: VAULT_RESET_PHRASE }, { onSuccess: close });
        }}
      >
        <Field label={`Type "${VAULT_RESET_PHRASE}" to confirm`}>
          <input autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} data-autofocus />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Keep the vault
          </button>
          <GuardedButton channel="tokens:reset" type="submit" className="btn btn-danger" disabled={typed !== VAULT_RESET_PHRASE || reset.isPending}>
            Delete all tokens
          </GuardedButton>
        </div>
      </form>
      {reset.error ? <ErrorNotice title="The vault was not reset" error={reset.error} /> : null}
    </div>
  );
}
