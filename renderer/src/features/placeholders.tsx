// Pages whose features land in later issues. Each says what it will hold and what to do meanwhile.
import { EmptyState } from '../components/EmptyState';

export function JobsPage() {
  return (
    <>
      <header className="page-header"><h1>Jobs</h1></header>
      <EmptyState title="No jobs yet">
        <p>Provisioning and destroy jobs appear here with the progress of each step, live.</p>
      </EmptyState>
    </>
  );
}

export function PaymentsPage() {
  return (
    <>
      <header className="page-header"><h1>Payments</h1></header>
      <EmptyState title="No payments recorded">
        <p>A recorded customer payment provisions exactly one VM. Recorded payments and their time to enrolled show here.</p>
      </EmptyState>
    </>
  );
}

export function AuditPage() {
  return (
    <>
      <header className="page-header"><h1>Audit</h1></header>
      <EmptyState title="Nothing audited yet">
        <p>Every provision, destroy, payment and settings change is logged here with who did it and the outcome.</p>
      </EmptyState>
    </>
  );
}

export function SettingsPage() {
  return (
    <>
      <header className="page-header"><h1>Settings</h1></header>
      <EmptyState title="Sandbox settings">
        <p>Tokens, Tailscale tags, role and defaults are set here. Tokens are write-only: Outpost shows their status, never the secret.</p>
      </EmptyState>
    </>
  );
}
