// Settings → Team server (desktop only): connect this app to a team server (`outpost serve`) with an
// API token made there (`outpost users token NAME --label LABEL`), or disconnect back to solo mode. The
// token is write-only like the cloud tokens: the field is cleared as soon as it is sent, and the card
// shows only whether one is stored. Connecting changes where every page's data comes from, so every
// query is re-read after a change.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { TeamConnectRequest } from '../../../../shared/team';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { fieldErrors } from '../../lib/zod-errors';
import { useChannel, useChannelMutation } from '../../queries/use-channel';
import { hostOf } from '../mode/TeamBanner';

export function TeamServerSection() {
  const client = useQueryClient();
  const status = useChannel('team:status', {});
  const connect = useChannelMutation('team:connect');
  const disconnect = useChannelMutation('team:disconnect');
  const [values, setValues] = useState({ url: '', token: '' });
  const [submitted, setSubmitted] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const errors = fieldErrors(TeamConnectRequest, values);
  const show = (k: string) => (submitted ? errors[k] : undefined);
  const everything = () => void client.invalidateQueries();

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || connect.isPending) return;
    const request = { url: values.url, token: values.token };
    setValues((v) => ({ ...v, token: '' })); // the secret leaves the page's state at once
    setSubmitted(false);
    connect.mutate(request, { onSuccess: everything });
  };
  const team = status.data;
  return (
    <section className="settings-section" aria-label="Team server">
      <h2>Team server</h2>
      <p className="muted">
        Work on a team&apos;s shared fleet: every page then shows the team server&apos;s data, and your role is your account&apos;s there. Without a server, this app works
        alone on this computer (solo mode).
      </p>
      {status.error ? <ErrorNotice title="Could not read the team server connection" error={status.error} /> : null}
      {team ? (
        <article className="token-card" aria-label="Team server connection">
          <header className="token-head">
            <h3>{team.url ? hostOf(team.url) : 'Solo mode'}</h3>
            <Badge tone={!team.connected ? 'neutral' : team.reachable === false ? 'bad' : 'ok'}>
              {!team.connected ? 'not connected' : team.reachable === false ? 'unreachable' : 'connected'}
            </Badge>
          </header>
          {team.connected ? (
            <p className="small">
              Connected to {team.url}
              {team.role ? ` as ${team.role}` : ''} · API token stored in the vault.
            </p>
          ) : null}
          {team.message ? <p className="small">{team.message}</p> : null}
          {team.connected ? (
            <div className="job-actions">
              {confirmLeave ? (
                <>
                  <button type="button" className="btn btn-danger" disabled={disconnect.isPending} onClick={() => disconnect.mutate({}, { onSuccess: everything, onSettled: () => setConfirmLeave(false) })}>
                    Disconnect and delete the token
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirmLeave(false)}>
                    Stay connected
                  </button>
                </>
              ) : (
                <button type="button" className="btn" onClick={() => setConfirmLeave(true)}>
                  Disconnect…
                </button>
              )}
            </div>
          ) : null}
          <form className="form" onSubmit={save} noValidate aria-label="Connect to a team server" aria-busy={connect.isPending}>
            <Field label="Server address" error={show('url')} help="https://… as given by whoever runs `outpost serve`.">
              <input type="url" autoComplete="off" spellCheck={false} value={values.url} onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))} />
            </Field>
            <Field label="API token" error={show('token')} help="Made on the server with `outpost users token NAME --label desktop`; starts with outpost_pat_.">
              <input type="password" autoComplete="off" spellCheck={false} value={values.token} onChange={(e) => setValues((v) => ({ ...v, token: e.target.value }))} />
            </Field>
            {connect.isPending ? (
              <p role="status" className="muted small">
                Checking the token with the server…
              </p>
            ) : null}
            {connect.error ? <ErrorNotice title="Not connected" error={connect.error} /> : null}
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={connect.isPending}>
                {team.connected ? 'Connect with this token' : 'Connect'}
              </button>
            </div>
          </form>
          {disconnect.error ? <ErrorNotice title="Not disconnected" error={disconnect.error} /> : null}
        </article>
      ) : null}
    </section>
  );
}
