import { Layout } from './components/Layout';
import { ErrorNotice } from './components/ErrorNotice';
import { FleetPage } from './features/fleet/FleetPage';
import { RegionsPage } from './features/regions/RegionsPage';
import { AuditPage, JobsPage, PaymentsPage, SettingsPage } from './features/placeholders';
import { useLiveUpdates } from './queries/live-updates';
import { useChannel } from './queries/use-channel';
import { useUi, type Page } from './stores/ui';

const PAGES: Record<Page, () => React.JSX.Element> = {
  fleet: FleetPage,
  jobs: JobsPage,
  payments: PaymentsPage,
  regions: RegionsPage,
  audit: AuditPage,
  settings: SettingsPage,
};

export function App() {
  useLiveUpdates();
  const info = useChannel('app:info', {});
  const page = useUi((s) => s.page);
  const Current = PAGES[page];
  return (
    <Layout info={info.data}>
      {info.error ? <ErrorNotice title="Outpost is not reachable" error={info.error} /> : <Current />}
    </Layout>
  );
}
