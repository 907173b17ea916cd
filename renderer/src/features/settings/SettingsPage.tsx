import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { AboutSection } from '../about/AboutSection';
import { useAppInfo } from '../../queries/permissions';
import { useChannel } from '../../queries/use-channel';
import { SettingsForm } from './SettingsForm';
import { TeamServerSection } from './TeamServerSection';
import { TokensSection } from './TokensSection';

export function SettingsPage() {
  const settings = useChannel('settings:get', {});
  const info = useAppInfo();
  return (
    <>
      <PageHeader title="Settings" subtitle={info.data ? `Data in ${info.data.dataDir} · ${info.data.mode} mode · v${info.data.version}` : undefined} />
      {settings.error ? <ErrorNotice title="Could not load the settings" error={settings.error} /> : null}
      {info.data?.transport === 'ipc' ? <TeamServerSection /> : null}
      <TokensSection />
      {settings.data ? <SettingsForm saved={settings.data} /> : null}
      <AboutSection />
    </>
  );
}
