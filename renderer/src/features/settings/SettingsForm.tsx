// Non-secret settings, validated with the contract's Settings schema. What the role may change comes
// from the permission table (shared/permissions.ts), as core enforces it; the rest shows why not. A
// role switch is confirmed first: it changes what this desktop may do, and it is audited.
import { useEffect, useRef, useState } from 'react';
import { ROLES, Settings } from '../../../../shared/domain';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { fieldErrors } from '../../lib/zod-errors';
import { usePermission } from '../../queries/permissions';
import { useChannel, useChannelMutation } from '../../queries/use-channel';
import { BasicTextOptIn } from './BasicTextOptIn';

type S = Settings;
const lines = (text: string): string[] => text.split(/[\n,]+/).map((l) => l.trim()).filter(Boolean);

const ROLE_LABELS: Record<S['role'], string> = {
  operator: 'Operator — provisions and destroys',
  support: 'Support — read-only',
  payments: 'Payments — records payments, reads the fleet',
};

const draftOf = (saved: S) => ({ ...saved, tagsText: saved.tailscaleTags.join('\n'), keysText: saved.sshKeys.join('\n') });

export function SettingsForm({ saved }: { saved: S }) {
  const [draft, setDraft] = useState(() => draftOf(saved));
  // New saved settings (this form's save, or a change elsewhere such as a token switching the role)
  // reset the draft in place: remounting would drop "Saved." and the keyboard focus with it.
  const [base, setBase] = useState(saved);
  if (JSON.stringify(base) !== JSON.stringify(saved)) {
    setBase(saved);
    setDraft(draftOf(saved));
  }
  const savedNote = useRef<HTMLParagraphElement>(null);
  const catalog = useChannel('catalog:get', {});
  const regions = useChannel('regions:list', {});
  const update = useChannelMutation('settings:update', ['settings:get', 'app:info']);
  const next: S = {
    operatorName: draft.operatorName,
    role: draft.role,
    mode: draft.mode,
    tailscaleTags: lines(draft.tagsText),
    sshKeys: draft.keysText.split('\n').map((l) => l.trim()).filter(Boolean),
    defaultRegion: draft.defaultRegion || null,
    defaultServerType: draft.defaultServerType || null,
    defaultImage: draft.defaultImage,
    locationFallback: draft.locationFallback,
    acceptBasicTextEncryption: draft.acceptBasicTextEncryption,
    labelCustomerNames: draft.labelCustomerNames,
  };
  const errors = fieldErrors(Settings, next);
  const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(saved[k as keyof S]))) as Partial<S>;
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const images = [...new Set((catalog.data?.images ?? []).map((i) => i.name))];
  // "Could this role change a setting outside its own name and role?" — the table answers.
  const others = usePermission('settings:update', { sshKeys: [] });
  const locked = others.allowed ? undefined : (others.reason ?? undefined);
  const [confirmingRole, setConfirmingRole] = useState(false);
  const save = () => {
    setConfirmingRole(false);
    update.mutate(patch);
  };
  // Saving disables the focused Save button, which would drop the focus to the page's start; the
  // confirmation takes it instead, so a keyboard user hears "Saved." and keeps their place.
  const showSaved = update.isSuccess && !dirty;
  useEffect(() => {
    if (showSaved) savedNote.current?.focus();
  }, [showSaved]);

  return (
    <form
      className="form settings"
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(errors).length > 0 || !dirty) return;
        if (patch.role !== undefined) setConfirmingRole(true);
        else save();
      }}
    >
      <section className="settings-section" aria-label="You">
        <h2>You</h2>
        <div className="form-grid">
          <Field label="Operator name" error={errors.operatorName} help="Shown in the audit log.">
            <input value={draft.operatorName} onChange={(e) => set('operatorName', e.target.value)} autoComplete="name" />
          </Field>
          <fieldset className="radios">
            <legend>Role</legend>
            {/* The payments role is a team server's (issue 16); a desktop offers it only to undo a switch made elsewhere. */}
            {ROLES.filter((r) => r !== 'payments' || draft.role === 'payments' || saved.role === 'payments').map((r) => (
              <label key={r}>
                <input type="radio" name="role" value={r} checked={draft.role === r} onChange={() => set('role', r)} />
                {ROLE_LABELS[r]}
              </label>
            ))}
          </fieldset>
        </div>
      </section>
      <fieldset className="settings-section" disabled={Boolean(locked)} aria-describedby={locked ? 'settings-locked' : undefined}>
        <legend className="section-legend">New VMs</legend>
        {locked ? (
          <p id="settings-locked" className="guard-reason">
            {locked}
          </p>
        ) : null}
        <div className="form-grid">
          <Field label="Tailscale tags" error={errors.tailscaleTags} help="One per line, e.g. tag:outpost — exactly the OAuth client's tags.">
            <textarea rows={3} value={draft.tagsText} onChange={(e) => set('tagsText', e.target.value)} spellCheck={false} />
          </Field>
          <Field label="SSH public keys" error={errors.sshKeys} help="One OpenSSH public key per line; put on every new VM.">
            <textarea rows={3} value={draft.keysText} onChange={(e) => set('keysText', e.target.value)} spellCheck={false} />
          </Field>
          <Field label="Default region">
            <select value={draft.defaultRegion ?? ''} onChange={(e) => set('defaultRegion', e.target.value || null)}>
              <option value="">None</option>
              {(regions.data ?? []).map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name} · {r.city}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Default server type">
            <select value={draft.defaultServerType ?? ''} onChange={(e) => set('defaultServerType', e.target.value || null)}>
              <option value="">None</option>
              {(catalog.data?.serverTypes ?? []).map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name} · {t.cores} vCPU · {t.memoryGb} GB
                </option>
              ))}
            </select>
          </Field>
          <Field label="Default image" error={errors.defaultImage}>
            <select value={draft.defaultImage} onChange={(e) => set('defaultImage', e.target.value)}>
              {[draft.defaultImage, ...images.filter((i) => i !== draft.defaultImage)].map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={draft.locationFallback} onChange={(e) => set('locationFallback', e.target.checked)} />
            When a type is out of stock, use another location in the same network zone
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.labelCustomerNames} onChange={(e) => set('labelCustomerNames', e.target.checked)} />
            Label new servers with the customer&apos;s name, so other desktops show it (off: the payment reference alone)
          </label>
        </div>
        <fieldset className="radios">
          <legend>Mode</legend>
          <label>
            <input type="radio" name="mode" checked={draft.mode === 'sandbox'} onChange={() => set('mode', 'sandbox')} />
            Sandbox — simulated clouds, separate data
          </label>
          <label>
            <input type="radio" name="mode" checked={draft.mode === 'live'} onChange={() => set('mode', 'live')} />
            Live — real Hetzner and Tailscale with your tokens
          </label>
          <span className="field-help">Takes effect when Outpost restarts.</span>
        </fieldset>
      </fieldset>
      <BasicTextOptIn checked={draft.acceptBasicTextEncryption} onChange={(v) => set('acceptBasicTextEncryption', v)} />
      {confirmingRole && patch.role ? (
        <div role="alertdialog" aria-labelledby="role-switch-title" aria-describedby="role-switch-text" className="confirm-panel">
          <h3 id="role-switch-title">Switch your role to {patch.role}?</h3>
          <p id="role-switch-text">
            {patch.role === 'operator'
              ? 'As operator you can provision, destroy, record payments and change every setting and token.'
              : 'As support you can look at everything but change nothing except your name and this role.'}{' '}
            The switch is recorded in the audit log with your name.
          </p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirmingRole(false)}>
              Keep {saved.role}
            </button>
            <button type="button" className="btn btn-primary" onClick={save}>
              Switch to {patch.role}
            </button>
          </div>
        </div>
      ) : null}
      {update.error ? <ErrorNotice title="Settings not saved" error={update.error} /> : null}
      {showSaved ? (
        <p role="status" className="muted" ref={savedNote} tabIndex={-1}>
          Saved.
        </p>
      ) : null}
      <div className="form-actions sticky">
        <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(draftOf(saved))}>
          Discard
        </button>
        <button type="submit" className="btn btn-primary" disabled={!dirty || update.isPending || Object.keys(errors).length > 0}>
          Save settings
        </button>
      </div>
    </form>
  );
}
