// Tokens are write-only (DESIGN §2, §6): the panel sends a secret in and only ever shows its status.
import { useVaultAndTokens } from './use-tokens';
import { ProviderToken } from './ProviderToken';
import { VaultReset } from './VaultReset';
import { ErrorNotice } from '../../components/ErrorNotice';

export function TokensSection() {
  const status = useVaultAndTokens();
  return (
    <section className="settings-section" aria-label="Tokens">
      <h2>Tokens</h2>
      <p className="muted">Stored encrypted on this machine. Outpost shows their status only — never the secret, not even in part.</p>
      {status.error ? <ErrorNotice title="Could not read the token status" error={status.error} /> : null}
      {status.data ? (
        <>
          <p className="muted small">
            Vault: {status.data.vault.locked ? 'locked' : 'unlocked'}
            {status.data.vault.format ? ` · ${status.data.vault.format}` : ''}
          </p>
          {status.data.vault.notices.map((n) => (
            <p key={n} className="guard-reason">
              {n}
            </p>
          ))}
          <div className="token-grid">
            <ProviderToken provider="hetzner" status={status.data.hetzner} />
            <ProviderToken provider="tailscale" status={status.data.tailscale} />
          </div>
          <VaultReset status={status.data} />
        </>
      ) : null}
    </section>
  );
}
