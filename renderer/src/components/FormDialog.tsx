// The frame of every "fill in, submit, follow the job" dialog (Provision a VM, Record payment): a
// wide dialog showing "Loading…" until the settings (which hold the form's defaults) have answered,
// the footer with Cancel and the role-guarded submit, and, once the request went through, the
// result with Done.
import type { ReactNode } from 'react';
import type { Channel } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain';
import { useChannel } from '../queries/use-channel';
import { Dialog } from './Dialog';
import { GuardedButton } from './GuardedButton';

/** `children` builds the form from the settings (undefined when they could not be read: no defaults then). */
export function FormDialog({ title, description, onClose, children }: { title: string; description: string; onClose(): void; children: (settings: Settings | undefined) => ReactNode }) {
  const settings = useChannel('settings:get', {});
  return (
    <Dialog title={title} description={description} onClose={onClose} wide>
      {settings.data || settings.error ? children(settings.data) : <p className="muted">Loading…</p>}
    </Dialog>
  );
}

/** Cancel, then the submit button, which the role may forbid (it then says why). */
export function SubmitActions({ channel, pending, label, pendingLabel, onCancel }: { channel: Channel; pending: boolean; label: string; pendingLabel: string; onCancel(): void }) {
  return (
    <div className="form-actions">
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <GuardedButton channel={channel} type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </GuardedButton>
    </div>
  );
}

/** What replaces the form once submitted: a status line, what follows it (a job card), Done. */
export function FormResult({ status, onDone, actions, children }: { status: string; onDone(): void; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="provision-result">
      <p role="status">{status}</p>
      {children}
      <div className="form-actions">
        {actions}
        <button type="button" className="btn btn-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
