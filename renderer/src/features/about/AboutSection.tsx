// About, in Settings: what a support person asks first (which version, which runtime, where the
// data is). The runtime is core's own (Electron, Chromium, Node, OS, read from its process); in
// browser mode the browser viewing it is named too. The desktop app opens the data folder from here
// and from Help; browser mode cannot (the panel may not be on the machine that holds the files).
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAppInfo } from '../../queries/permissions';
import { useChannelMutation } from '../../queries/use-channel';
import { runtimeFromUserAgent } from './runtime';

export function AboutSection({ userAgent = navigator.userAgent }: { userAgent?: string }) {
  const info = useAppInfo().data;
  const open = useChannelMutation('app:openDataDir');
  if (!info) return null;
  const desktop = info.transport === 'ipc';
  const core = info.runtime;
  const browser = desktop ? null : runtimeFromUserAgent(userAgent).browser;
  return (
    <section className="settings-section" aria-label="About">
      <h2>About</h2>
      <dl className="about">
        <dt>Version</dt>
        <dd>Outpost {info.version}</dd>
        <dt>Runs in</dt>
        <dd>
          {desktop ? 'the desktop app' : 'browser mode'}
          {core.electron ? ` · Electron ${core.electron}` : ''}
          {core.chromium ? ` · Chromium ${core.chromium}` : ''}
          {` · Node ${core.node} · ${core.os}`}
          {browser ? ` · viewed in ${browser}` : ''}
        </dd>
        <dt>Data directory</dt>
        <dd>
          <code>{info.dataDir}</code> <CopyButton text={info.dataDir} label="Copy the data directory" />{' '}
          {info.canOpenDataDir ? (
            <button type="button" className="btn" disabled={open.isPending} onClick={() => open.mutate({})}>
              Open data folder
            </button>
          ) : null}
        </dd>
      </dl>
      {open.error ? <ErrorNotice error={open.error} title="The data folder did not open" /> : null}
      <p className="small muted">
        {desktop
          ? 'Help → Export diagnostics… writes a zip for support, with every version and no secret.'
          : '`outpost diagnostics --out outpost-diagnostics.zip` writes a zip for support, with every version and no secret.'}
      </p>
    </section>
  );
}
