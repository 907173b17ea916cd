// Unowned servers: labelled by Outpost in Hetzner, but no desktop's job will finish or remove them
// (not in this store, never joined the tailnet, older than a provision job lives; README "One fleet,
// many desktops"). They cost money. An operator adopts one (it joins this fleet) or deletes it (the
// destroy pipeline, after typing its name); both are checked against the clouds again and audited.
import { useState } from 'react';
import { UnownedDeleteRequest, type Channel } from '../../../../shared/contract';
import type { UnownedServer } from '../../../../shared/domain';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { GuardedButton } from '../../components/GuardedButton';
import { dateTime } from '../../lib/format';
import { useChannel, useChannelMutation } from '../../queries/use-channel';

const REFRESH: Channel[] = ['unowned:list', 'instances:page', 'jobs:list'];

function DeleteUnownedDialog({ server, onClose }: { server: UnownedServer; onClose(): void }) {
  const [typed, setTyped] = useState('');
  const [touched, setTouched] = useState(false);
  const remove = useChannelMutation('unowned:delete', REFRESH);
  const parsed = UnownedDeleteRequest.safeParse({ serverId: server.serverId, confirmName: typed });
  const matches = parsed.success && typed === server.name;
  const error = !touched ? undefined : !parsed.success ? parsed.error.issues[0]?.message : !matches ? `Type ${server.name} exactly.` : undefined;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!matches) return;
    remove.mutate({ serverId: server.serverId, confirmName: typed }, { onSuccess: onClose });
  };
  return (
    <Dialog title={`Delete server ${server.name}?`} onClose={onClose} description="Deletes the server and any tailnet device it left, as a destroy job you can follow in Jobs. This cannot be undone.">
      <form className="form" onSubmit={submit} noValidate>
        <Field label={`Type ${server.name} to confirm`} error={error}>
          <input data-autofocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} onBlur={() => setTouched(true)} />
        </Field>
        {remove.error ? <ErrorNotice title="Delete refused" error={remove.error} /> : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="btn btn-danger" disabled={!matches || remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete server'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function UnownedPanel({ servers, onClose }: { servers: readonly UnownedServer[]; onClose(): void }) {
  const adopt = useChannelMutation('unowned:adopt', REFRESH);
  const [deleting, setDeleting] = useState<UnownedServer | null>(null);
  return (
    <Dialog
      title="Unowned servers"
      description="Labelled by Outpost in Hetzner, but no desktop will finish or remove them: not in this fleet, never joined the tailnet, older than a provision job runs. They cost money."
      onClose={onClose}
      wide
    >
      {servers.length === 0 ? <p className="muted">No unowned servers.</p> : null}
      {adopt.error ? <ErrorNotice title="Adopt refused" error={adopt.error} /> : null}
      {servers.length > 0 ? (
        <table className="simple-table" aria-label="Unowned servers">
          <thead>
            <tr>
              <th>Server</th>
              <th>Region</th>
              <th>Created</th>
              <th>Agent</th>
              <th>Payment</th>
              <th>Created by store</th>
              <th>
                <span className="offscreen">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {servers.map((s) => (
              <tr key={s.serverId}>
                <td>
                  {s.name} <span className="cell-sub mono">{s.serverId}</span>
                </td>
                <td>{s.region ?? '—'}</td>
                <td>{dateTime(s.created)}</td>
                <td>{s.agentName ?? '—'}</td>
                <td className="mono">{s.paymentReference ?? '—'}</td>
                <td className="mono">{s.originStore ?? '—'}</td>
                <td className="row-actions">
                  <GuardedButton channel="unowned:adopt" className="btn btn-small" inlineReason={false} disabled={adopt.isPending} onClick={() => adopt.mutate({ serverId: s.serverId })}>
                    Adopt
                  </GuardedButton>
                  <GuardedButton channel="unowned:delete" className="btn btn-small btn-danger" inlineReason={false} onClick={() => setDeleting(s)}>
                    Delete…
                  </GuardedButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {deleting ? <DeleteUnownedDialog server={deleting} onClose={() => setDeleting(null)} /> : null}
    </Dialog>
  );
}

/** The fleet sync bar's entry point: how many there are, opening the panel. Nothing when none. */
export function UnownedButton() {
  // Cheap: core answers from the last sync's report (the background one, or Sync now), never the clouds.
  const list = useChannel('unowned:list', {}, { refetchOnWindowFocus: false, refetchInterval: 60_000 });
  const [open, setOpen] = useState(false);
  const count = list.data?.length ?? 0;
  return (
    <>
      {count > 0 ? (
        <button type="button" className="badge badge-warn badge-button" onClick={() => setOpen(true)}>
          {count} unowned
        </button>
      ) : null}
      {open && list.data ? <UnownedPanel servers={list.data} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
