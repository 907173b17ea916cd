// One provider's token: its status, and Set / Replace, Test, Remove. The secret inputs are cleared
// as soon as the request is sent; the answer is a status, never the value.
import { useState } from 'react';
import { HetznerTokenInputSchema, TailscaleClientInputSchema, type ProviderTokenStatus, type TokenProvider } from '../../../../shared/tokens';
import { Badge, type Tone } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { GuardedButton } from '../../components/GuardedButton';
import { dateTime } from '../../lib/format';
import { fieldErrors } from '../../lib/zod-errors';
import { useChannelMutation } from '../../queries/use-channel';

const TONE: Record<ProviderTokenStatus['state'], Tone> = { missing: 'neutral', stored: 'info', valid: 'ok', invalid: 'bad', read_only: 'warn', unreachable: 'warn' };
const TITLE: Record<TokenProvider, string> = { hetzner: 'Hetzner Cloud API token', tailscale: 'Tailscale OAuth client' };

export function ProviderToken({ provider, status }: { provider: TokenProvider; status: ProviderTokenStatus }) {
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [values, setValues] = useState({ token: '', clientId: '', clientSecret: '' });
  const [submitted, setSubmitted] = useState(false);
  const after = ['tokens:status', 'app:info'] as const;
  const set = useChannelMutation('tokens:set', [...after]);
  const test = useChannelMutation('tokens:test', [...after]);
  const clear = useChannelMutation('tokens:clear', [...after]);
  const input = provider === 'hetzner' ? { token: values.token } : { clientId: values.clientId, clientSecret: values.clientSecret };
  const errors = fieldErrors(provider === 'hetzner' ? HetznerTokenInputSchema : TailscaleClientInputSchema, input);
  const show = (k: string) => (submitted ? errors[k] : undefined);
  const error = set.error ?? test.error ?? clear.error;

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    const request = provider === 'hetzner' ? { provider, token: values.token } : { provider, clientId: values.clientId, clientSecret: values.clientSecret };
    setValues({ token: '', clientId: '', clientSecret: '' });
    setSubmitted(false);
    set.mutate(request as Parameters<typeof set.mutate>[0], { onSuccess: () => setEditing(false) });
  };

  return (
    <article className="token-card" aria-label={TITLE[provider]}>
      <header className="token-head">
        <h3>{TITLE[provider]}</h3>
        <Badge tone={TONE[status.state]}>{status.state.replace('_', '-')}</Badge>
      </header>
      {status.message ? <p className="small">{status.message}</p> : null}
      <p className="muted small">
        {status.checkedAt ? `Checked ${dateTime(status.checkedAt)}` : 'Not checked yet'}
        {status.capabilities?.write === false ? ' · read-only: support mode' : ''}
        {status.capabilities?.tags?.length ? ` · tags ${status.capabilities.tags.join(', ')}` : ''}
        {status.capabilities?.scopes?.length ? ` · scopes ${status.capabilities.scopes.join(', ')}` : ''}
      </p>
      {editing ? (
        <form className="form" onSubmit={save} noValidate aria-label={`Set the ${TITLE[provider]}`}>
          {provider === 'hetzner' ? (
            <Field label="API token" error={show('token')} help="Hetzner Console → project → Security → API tokens (Read & Write).">
              <input type="password" autoComplete="off" spellCheck={false} value={values.token} onChange={(e) => setValues((v) => ({ ...v, token: e.target.value }))} data-autofocus />
            </Field>
          ) : (
            <>
              <Field label="Client id" error={show('clientId')}>
                <input autoComplete="off" spellCheck={false} value={values.clientId} onChange={(e) => setValues((v) => ({ ...v, clientId: e.target.value }))} />
              </Field>
              <Field label="Client secret" error={show('clientSecret')} help="An OAuth client with the auth_keys and devices scopes and the tags Outpost uses.">
                <input type="password" autoComplete="off" spellCheck={false} value={values.clientSecret} onChange={(e) => setValues((v) => ({ ...v, clientSecret: e.target.value }))} />
              </Field>
            </>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <GuardedButton channel="tokens:set" type="submit" disabled={set.isPending}>
              Save and check
            </GuardedButton>
          </div>
        </form>
      ) : (
        <div className="job-actions">
          <GuardedButton channel="tokens:set" className="btn" inlineReason={false} onClick={() => setEditing(true)}>
            {status.state === 'missing' ? 'Set…' : 'Replace…'}
          </GuardedButton>
          {status.state !== 'missing' ? (
            <button type="button" className="btn" disabled={test.isPending} onClick={() => test.mutate({ provider })}>
              {test.isPending ? 'Testing…' : 'Test'}
            </button>
          ) : null}
          {status.state !== 'missing' && !confirmRemove ? (
            <GuardedButton channel="tokens:clear" className="btn" inlineReason={false} onClick={() => setConfirmRemove(true)}>
              Remove
            </GuardedButton>
          ) : null}
          {confirmRemove ? (
            <>
              <GuardedButton channel="tokens:clear" className="btn btn-danger" onClick={() => clear.mutate({ provider }, { onSettled: () => setConfirmRemove(false) })}>
                Remove the stored {provider === 'hetzner' ? 'token' : 'client'}
              </GuardedButton>
              <button type="button" className="btn" onClick={() => setConfirmRemove(false)}>
                Keep
              </button>
            </>
          ) : null}
        </div>
      )}
      {error ? <ErrorNotice title="Token action failed" error={error} /> : null}
    </article>
  );
}
