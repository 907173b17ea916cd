// One provider's token: its status, and Set / Replace, Test, Remove. The secret inputs are cleared
// as soon as the request is sent; the answer is a status, never the value. A check can take up to
// ~30 s (a deadline and a retry per request): meanwhile the form says "Checking…", is busy, and sends
// nothing more. A value the cloud refuses keeps the form open with core's words (message and hint,
// secret-free); the card keeps showing what is stored, since core keeps the old value in place.
import { useRef, useState } from 'react';
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
const CLOUD: Record<TokenProvider, string> = { hetzner: 'Hetzner', tailscale: 'Tailscale' };
/** The checks' worst case: two requests, each up to 10 s, plus one retry with backoff. */
export const CHECKING_TEXT = (provider: TokenProvider) => `Checking with ${CLOUD[provider]}… this can take up to 30 s.`;

export function ProviderToken({ provider, status }: { provider: TokenProvider; status: ProviderTokenStatus }) {
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [values, setValues] = useState({ token: '', clientId: '', clientSecret: '' });
  const [submitted, setSubmitted] = useState(false);
  // A read-only token switches the role (settings:get holds it too, and Settings shows it).
  const after = ['tokens:status', 'app:info', 'settings:get'] as const;
  const set = useChannelMutation('tokens:set', [...after]);
  const test = useChannelMutation('tokens:test', [...after]);
  const clear = useChannelMutation('tokens:clear', [...after]);
  // react-query reports isPending a tick late: a second click before that must not send a second check.
  const checking = useRef(false);
  const once = (run: (done: () => void) => void) => {
    if (checking.current) return;
    checking.current = true;
    run(() => (checking.current = false));
  };
  const input = provider === 'hetzner' ? { token: values.token } : { clientId: values.clientId, clientSecret: values.clientSecret };
  const errors = fieldErrors(provider === 'hetzner' ? HetznerTokenInputSchema : TailscaleClientInputSchema, input);
  const show = (k: string) => (submitted ? errors[k] : undefined);
  const error = test.error ?? clear.error; // a refused save shows inside its form

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    if (checking.current) return; // before the inputs are cleared: nothing typed is lost
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    const request = provider === 'hetzner' ? { provider, token: values.token } : { provider, clientId: values.clientId, clientSecret: values.clientSecret };
    setValues({ token: '', clientId: '', clientSecret: '' });
    setSubmitted(false);
    once((done) => set.mutate(request as Parameters<typeof set.mutate>[0], { onSuccess: () => setEditing(false), onSettled: done }));
  };
  const open = () => {
    set.reset();
    setEditing(true);
  };

  return (
    <article className="token-card" aria-label={TITLE[provider]} aria-busy={set.isPending || test.isPending}>
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
        <form className="form" onSubmit={save} noValidate aria-label={`Set the ${TITLE[provider]}`} aria-busy={set.isPending}>
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
          {set.isPending ? (
            <p role="status" className="muted small">
              {CHECKING_TEXT(provider)}
            </p>
          ) : null}
          {set.error ? <ErrorNotice title={`The ${TITLE[provider]} was not saved`} error={set.error} /> : null}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <GuardedButton channel="tokens:set" type="submit" disabled={set.isPending}>
              {set.isPending ? 'Checking…' : 'Save and check'}
            </GuardedButton>
          </div>
        </form>
      ) : (
        <div className="job-actions">
          <GuardedButton channel="tokens:set" className="btn" inlineReason={false} onClick={open}>
            {status.state === 'missing' ? 'Set…' : 'Replace…'}
          </GuardedButton>
          {status.state !== 'missing' ? (
            <button type="button" className="btn" disabled={test.isPending} onClick={() => once((done) => test.mutate({ provider }, { onSettled: done }))}>
              {test.isPending ? 'Checking…' : 'Test'}
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
      {test.isPending ? (
        <p role="status" className="muted small">
          {CHECKING_TEXT(provider)}
        </p>
      ) : null}
      {error ? <ErrorNotice title="Token action failed" error={error} /> : null}
    </article>
  );
}
