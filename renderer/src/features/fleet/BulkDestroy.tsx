// Bulk destroy: the selected VMs, one typed confirmation naming the count ("destroy 3 VMs", or just
// the number), then one destroy job per VM through instances:destroy, each confirmed by its own name
// and audited once. What each answered is listed: a refusal of one does not hide the others.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Instance } from '../../../../shared/domain';
import { OutpostError } from '../../../../shared/errors';
import { getApi } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { GuardedButton } from '../../components/GuardedButton';
import { channelKey } from '../../queries/use-channel';

/** The phrase the operator types to destroy `count` VMs. */
export const bulkPhrase = (count: number): string => `destroy ${count} ${count === 1 ? 'VM' : 'VMs'}`;

/** Typed text confirms `count` when it is the phrase (any case, spaces trimmed) or the bare number. */
export const confirmsCount = (typed: string, count: number): boolean => {
  const t = typed.trim().toLowerCase().replace(/\s+/g, ' ');
  return t === bulkPhrase(count).toLowerCase() || t === String(count);
};

type Outcome = { instance: Instance; jobId: string } | { instance: Instance; error: string };

const SHOWN_NAMES = 12;

export function BulkDestroyDialog({ instances, onClose, onDone }: { instances: readonly Instance[]; onClose(): void; onDone(): void }) {
  // What the operator confirmed is what gets destroyed, even if the fleet changes meanwhile.
  const [targets] = useState(() => [...instances]);
  const [typed, setTyped] = useState('');
  const [touched, setTouched] = useState(false);
  const client = useQueryClient();
  const run = useMutation<Outcome[]>({
    mutationFn: async () => {
      const out: Outcome[] = [];
      // One at a time: each destroy is its own audited call, and the core's rate budget paces the clouds.
      for (const instance of targets) {
        try {
          const r = await getApi().call('instances:destroy', { instanceId: instance.id, confirmName: instance.name });
          out.push({ instance, jobId: r.jobId });
        } catch (e) {
          out.push({ instance, error: e instanceof OutpostError ? e.message : String(e) });
        }
      }
      return out;
    },
    onSettled: () => {
      for (const c of ['jobs:list', 'instances:page'] as const) void client.invalidateQueries({ queryKey: channelKey(c) });
      onDone();
    },
  });
  const n = targets.length;
  const phrase = bulkPhrase(n);
  const ok = confirmsCount(typed, n);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (ok && !run.isPending && !run.data) run.mutate();
  };
  if (run.data) {
    const failed = run.data.filter((o): o is Extract<Outcome, { error: string }> => 'error' in o);
    return (
      <Dialog title={`Destroying ${n - failed.length} of ${n} VMs`} onClose={onClose}>
        <p role="status">
          {n - failed.length} destroy {n - failed.length === 1 ? 'job' : 'jobs'} started; follow them in Jobs.
          {failed.length ? ` ${failed.length} refused:` : ''}
        </p>
        {failed.length ? (
          <ul aria-label="Refused">
            {failed.map((f) => (
              <li key={f.instance.id}>
                <strong>{f.instance.name}</strong>: {f.error}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={`Destroy ${n} ${n === 1 ? 'VM' : 'VMs'}?`}
      onClose={onClose}
      description="Each server is deleted, its device removed from the tailnet and its auth key revoked. This cannot be undone."
    >
      <form className="form" onSubmit={submit} noValidate>
        <ul className="bulk-names" aria-label="VMs to destroy">
          {targets.slice(0, SHOWN_NAMES).map((i) => (
            <li key={i.id} className="mono">
              {i.name}
            </li>
          ))}
          {n > SHOWN_NAMES ? <li className="muted">and {n - SHOWN_NAMES} more</li> : null}
        </ul>
        <Field label={`Type ${phrase} (or ${n}) to confirm`} error={touched && !ok ? `Type ${phrase} or ${n} exactly.` : undefined}>
          <input data-autofocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} onBlur={() => setTouched(true)} />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Keep them
          </button>
          <button type="submit" className="btn btn-danger" disabled={!ok || run.isPending}>
            {run.isPending ? 'Destroying…' : `Destroy ${n} ${n === 1 ? 'VM' : 'VMs'}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The bar above the table while VMs are selected: how many, Destroy N…, and Clear. */
export function BulkBar({ chosen, onClear }: { chosen: readonly Instance[]; onClear(): void }) {
  const [confirming, setConfirming] = useState(false);
  if (chosen.length === 0 && !confirming) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Selected VMs">
      <span role="status">{chosen.length === 1 ? '1 VM selected' : `${chosen.length} VMs selected`}</span>
      <GuardedButton channel="instances:destroy" className="btn btn-danger btn-small" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
        {`Destroy ${chosen.length}…`}
      </GuardedButton>
      <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
        Clear selection
      </button>
      {confirming ? <BulkDestroyDialog instances={chosen} onClose={() => setConfirming(false)} onDone={onClear} /> : null}
    </div>
  );
}
