// Destroy is never one stray click: the operator types the VM's name (DestroyRequest of the contract).
import { useState } from 'react';
import { DestroyRequest } from '../../../../shared/contract';
import type { Instance } from '../../../../shared/domain';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useChannelMutation } from '../../queries/use-channel';

export function DestroyDialog({ instance, onClose, onStarted }: { instance: Instance; onClose(): void; onStarted(jobId: string): void }) {
  const [typed, setTyped] = useState('');
  const [touched, setTouched] = useState(false);
  const destroy = useChannelMutation('instances:destroy', ['jobs:list']);
  const parsed = DestroyRequest.safeParse({ instanceId: instance.id, confirmName: typed });
  const matches = parsed.success && typed === instance.name;
  const error = !touched ? undefined : !parsed.success ? parsed.error.issues[0]?.message : !matches ? `Type ${instance.name} exactly.` : undefined;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!matches) return;
    destroy.mutate({ instanceId: instance.id, confirmName: typed }, { onSuccess: (r) => onStarted(r.jobId) });
  };
  return (
    <Dialog title={`Destroy ${instance.name}?`} onClose={onClose} description="Deletes the server, removes its device from the tailnet and revokes its auth key. This cannot be undone.">
      <form className="form" onSubmit={submit} noValidate>
        <Field label={`Type ${instance.name} to confirm`} error={error}>
          <input data-autofocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} onBlur={() => setTouched(true)} />
        </Field>
        {destroy.error ? <ErrorNotice title="Destroy refused" error={destroy.error} /> : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="btn btn-danger" disabled={!matches || destroy.isPending}>
            {destroy.isPending ? 'Destroying…' : 'Destroy VM'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
