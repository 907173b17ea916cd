// About, in Settings: what a support person asks first (which version, which runtime, where the
// data is). The data folder opens from the desktop app's Help menu, which also exports diagnostics.
import { CopyButton } from '../../components/CopyButton';
import { useAppInfo } from '../../queries/permissions';
import { runtimeFromUserAgent } from './runtime';

export function AboutSection({ userAgent = navigator.userAgent }: { userAgent?: string }) {
  const info = useAppInfo().data;
  if (!info) return null;
  const desktop = info.transport === 'ipc';
  const runtime = runtimeFromUserAgent(userAgent);
  return (
    <section className="settings-section" aria-label="About">
      <h2>About</h2>
      <dl className="about">
        <dt>Version</dt>
        <dd>Outpost {info.version}</dd>
        <dt>Runs in</dt>
        <dd>
          {desktop ? 'the desktop app' : 'browser mode'}
          {runtime.electron ? ` · Electron ${runtime.electron}` : ''}
          {runtime.chromium && runtime.electron ? ` · Chromium ${runtime.chromium}` : ''}
          {!runtime.electron && runtime.browser ? ` · ${runtime.browser}` : ''}
        </dd>
        <dt>Data directory</dt>
        <dd>
          <code>{info.dataDir}</code> <CopyButton text={info.dataDir} label="Copy the data directory" />
        </dd>
      </dl>
      <p className="small muted">
        {desktop
          ? 'Help → Open data folder shows it; Help → Export diagnostics… writes a zip for support, with every version and no secret.'
          : '`outpost diagnostics --out outpost-diagnostics.zip` writes a zip for support, with every version and no secret.'}
      </p>
    </section>
  );
}
