// Which clouds this window acts on, at the top of every page: "Live" on a red bar, naming the Hetzner
// API and the tailnet's OAuth client (what core can say without a secret: Hetzner has no endpoint
// that names a token's project), or "Sandbox" on an amber one. Switching is one button here: it
// asks first (live costs money), saves the mode and — in the desktop app — restarts it, since the
// store, the clouds and the vault's use are built once per start (electron/boot). Browser mode says
// what to restart instead: whoever started `outpost web` restarts it.
import { useState } from 'react';
import type { AppInfo, Settings } from '../../../../shared/domain';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { useChannel, useChannelMutation } from '../../queries/use-channel';

type Mode = Settings['mode'];
const OTHER: Record<Mode, Mode> = { live: 'sandbox', sandbox: 'live' };
const TITLE: Record<Mode, string> = { live: 'Live', sandbox: 'Sandbox' };

export const NEEDS_TOKENS = 'Live mode needs the Hetzner token and the Tailscale OAuth client: store them in Settings → Tokens first.';

const CONSEQUENCE: Record<Mode, string> = {
  live: 'Outpost will act on the real Hetzner project and tailnet of your stored tokens: new VMs cost money. Live data is kept apart from the sandbox (live.db).',
  sandbox: 'Outpost will use the simulated clouds and the sandbox data. Your live VMs keep running; nothing is destroyed.',
};

export function ModeBar({ info }: { info: AppInfo }) {
  const [confirming, setConfirming] = useState(false);
  const tokens = useChannel('tokens:status', {}, { staleTime: 30_000 });
  const save = useChannelMutation('settings:update', ['settings:get']);
  const restart = useChannelMutation('app:restart');
  const mode = info.mode;
  const target = OTHER[mode];
  const stored = (s: string | undefined) => s !== undefined && s !== 'missing';
  const ready = target === 'sandbox' || (stored(tokens.data?.hetzner.state) && stored(tokens.data?.tailscale.state));
  const tags = tokens.data?.tailscale.capabilities?.tags ?? [];
  const hetzner = tokens.data?.hetzner;
  const request = { mode: target };
  return (
    // sandbox-banner: the name the e2e contrast checks know the sandbox bar by.
    <section className={`mode-bar mode-bar-${mode}${mode === 'sandbox' ? ' sandbox-banner' : ''}`} aria-label={`${TITLE[mode]} mode`}>
      <p role="status" className="mode-text">
        <strong className="mode-name">{TITLE[mode]}</strong>{' '}
        {mode === 'live' ? (
          <span className="mode-detail">
            — Hetzner {hetzner ? `token ${hetzner.state.replace('_', '-')}${hetzner.capabilities?.write === false ? ' (read-only)' : ''}` : '…'} · tailnet{' '}
            {tags.length ? `OAuth client tagged ${tags.join(', ')}` : 'OAuth client'} · real clouds, real money
          </span>
        ) : (
          <span className="mode-detail">— simulated Hetzner and Tailscale. Nothing here costs money or touches your tailnet.</span>
        )}
      </p>
      {save.isSuccess ? (
        <span role="status" className="mode-detail">
          {info.canRestart
            ? restart.isError
              ? `Saved, but Outpost did not restart: restart it to open in ${target} mode.`
              : `Saved: Outpost is restarting in ${target} mode…`
            : `Saved: stop Outpost (\`outpost web\`) and start it again to open in ${target} mode.`}
        </span>
      ) : (
        <GuardedButton channel="settings:update" request={request} className="btn btn-small" inlineReason={false} disabled={confirming} onClick={() => setConfirming(true)}>
          Switch to {target}…
        </GuardedButton>
      )}
      {confirming ? (
        <div role="alertdialog" aria-labelledby="mode-switch-title" aria-describedby="mode-switch-text" className="confirm-panel mode-confirm">
          <h3 id="mode-switch-title">Switch to {target} mode?</h3>
          <p id="mode-switch-text">
            {CONSEQUENCE[target]}{' '}
            {info.canRestart
              ? 'Outpost restarts to switch (the store and the clouds are chosen at start); running jobs resume after it.'
              : 'The switch takes effect when Outpost restarts (the store and the clouds are chosen at start).'}
          </p>
          {ready ? null : <p className="guard-reason">{NEEDS_TOKENS}</p>}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Stay in {mode}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!ready || save.isPending}
              onClick={() =>
                save.mutate(request, {
                  onSuccess: () => {
                    setConfirming(false);
                    if (info.canRestart) restart.mutate({});
                  },
                })
              }
            >
              {info.canRestart ? `Switch and restart` : `Switch to ${target}`}
            </button>
          </div>
          {save.error ? <ErrorNotice title="The mode was not saved" error={save.error} /> : null}
        </div>
      ) : null}
    </section>
  );
}
