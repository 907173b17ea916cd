import { ErrorNotice } from './components/ErrorNotice';
import { Layout } from './components/Layout';
import { Toaster } from './components/Toaster';
import { AuditPage } from './features/audit/AuditPage';
import { FleetPage } from './features/fleet/FleetPage';
import { InstancePanel } from './features/instance/InstancePanel';
import { JobsPage } from './features/jobs/JobsPage';
import { LiveUnavailableScreen } from './features/mode/LiveUnavailableScreen';
import { CommandPalette } from './features/palette/CommandPalette';
import { PaymentDialog } from './features/payments/PaymentDialog';
import { PaymentsPage } from './features/payments/PaymentsPage';
import { ProvisionDialog } from './features/provision/ProvisionDialog';
import { RegionsPage } from './features/regions/RegionsPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { useShortcuts } from './lib/use-shortcuts';
import { useLiveUpdates } from './queries/live-updates';
import { useAppInfo } from './queries/permissions';
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
  useShortcuts();
  const info = useAppInfo();
  const page = useUi((s) => s.page);
  const dialog = useUi((s) => s.dialog);
  const selected = useUi((s) => s.selectedInstanceId);
  const Current = PAGES[page];
  // Live mode asked for and unusable: nothing else is shown (core refuses everything else too).
  if (info.data?.liveUnavailable) return <LiveUnavailableScreen info={info.data} blocked={info.data.liveUnavailable} />;
  return (
    <Layout info={info.data}>
      {/* Pages wait for app:info: a blocked start must not read the fleet even once. */}
      {info.error ? <ErrorNotice title="Outpost is not reachable" error={info.error} /> : info.data ? <Current /> : null}
      {selected ? <InstancePanel key={selected} instanceId={selected} /> : null}
      {dialog === 'provision' ? <ProvisionDialog /> : null}
      {dialog === 'payment' ? <PaymentDialog /> : null}
      {dialog === 'palette' ? <CommandPalette /> : null}
      <Toaster />
    </Layout>
  );
}
