// The desktop app's opt-in to Electron's basic_text storage (Linux without a keychain). Shown only
// in the desktop app: browser mode and the command protect the vault with a passphrase instead, so
// the setting means nothing there. Saved with the rest of the form; core reads it on every use of
// the keychain, so it applies to the next token saved, without a restart.
import { usePermission, useAppInfo } from '../../queries/permissions';

export const BASIC_TEXT_LABEL = 'Allow basic_text token storage when this system has no keychain';

export function BasicTextOptIn({ checked, onChange }: { checked: boolean; onChange: (accepted: boolean) => void }) {
  const info = useAppInfo();
  const permission = usePermission('settings:update', { acceptBasicTextEncryption: !checked });
  if (info.data?.transport !== 'ipc') return null;
  const locked = permission.allowed ? undefined : (permission.reason ?? undefined);
  return (
    <fieldset className="settings-section" disabled={Boolean(locked)} aria-describedby="basic-text-explained">
      <legend className="section-legend">Token storage on this computer</legend>
      {locked ? <p className="guard-reason">{locked}</p> : null}
      <div id="basic-text-explained" className="field-help">
        <p>
          The desktop app encrypts your tokens with the system keychain (GNOME Keyring, KWallet, macOS Keychain, Windows). On Linux without a keychain,
          Electron offers only <strong>basic_text</strong>: the tokens are &quot;encrypted&quot; with a key hard-coded in Electron, so{' '}
          <strong>any program running as your user can read them</strong> — it is obfuscation, not protection. Outpost refuses to store tokens that way
          unless you allow it here.
        </p>
        <p>Where a keychain is available this setting changes nothing. If you turn it off again later, tokens stored with basic_text can no longer be read until you turn it back on or enter them again.</p>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {BASIC_TEXT_LABEL}
      </label>
    </fieldset>
  );
}
