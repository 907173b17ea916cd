// Non-secret settings, validated with the contract's Settings schema. In the support role only the
// operator name and the role itself can change (as core allows); the rest shows why not.
import { useState } from 'react';
import { ROLES, Settings } from '../../../../shared/domain';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { fieldErrors } from '../../lib/zod-errors';
import { SUPPORT_REASON } from '../../queries/permissions';
import { useChannel, useChannelMutation } from '../../queries/use-channel';

type S = Settings;
const lines = (text: string): string[] => text.split(/[\n,]+/).map((l) => l.trim()).filter(Boolean);

export function SettingsForm({ saved }: { saved: S }) {
  const [draft, setDraft] = useState({ ...saved, tagsText: saved.tailscaleTags.join('\n'), keysText: saved.sshKeys.join('\n') });
  const catalog = useChannel('catalog:get', {});
  const regions = useChannel('regions:list', {});
  const update = useChannelMutation('settings:update', ['settings:get', 'app:info']);
  const support = saved.role === 'support';
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
  };
  const errors = fieldErrors(Settings, next);
  const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(saved[k as keyof S]))) as Partial<S>;
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const images = [...new Set((catalog.data?.images ?? []).map((i) => i.name))];
  const locked = support ? SUPPORT_REASON : undefined;

  return (
    <form
      className="form settings"
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(errors).length === 0 && dirty) update.mutate(patch);
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
            {ROLES.map((r) => (
              <label key={r}>
                <input type="radio" name="role" value={r} checked={draft.role === r} onChange={() => set('role', r)} />
                {r === 'operator' ? 'Operator — provisions and destroys' : 'Support — read-only'}
              </label>
            ))}
          </fieldset>
        </div>
      </section>
      <fieldset className="settings-section" disabled={support} aria-describedby={locked ? 'settings-locked' : undefined}>
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
      {update.error ? <ErrorNotice title="Settings not saved" error={update.error} /> : null}
      {update.isSuccess && !dirty ? <p role="status" className="muted">Saved.</p> : null}
      <div className="form-actions sticky">
        <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft({ ...saved, tagsText: saved.tailscaleTags.join('\n'), keysText: saved.sshKeys.join('\n') })}>
          Discard
        </button>
        <button type="submit" className="btn btn-primary" disabled={!dirty || update.isPending || Object.keys(errors).length > 0}>
          Save settings
        </button>
      </div>
    </form>
  );
}
