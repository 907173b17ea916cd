// The instance detail drawer: fields with copy buttons, SSH over the tailnet, its jobs as
// timelines with their errors, Copy diagnostics, and Destroy.
import { useState } from 'react';
import type { Instance } from '../../../../shared/domain';
import { isEnded, shownStatus } from '../../../../shared/instance-status';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { useNow } from '../../lib/use-now';
import { useAppInfo } from '../../queries/permissions';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { JobCard } from '../jobs/JobCard';
import { AdoptedNote } from './AdoptedNote';
import { DestroyDialog } from './DestroyDialog';
import { diagnostics } from './diagnostics';
import { InstanceFields } from './InstanceFields';

/** In place of SSH for a VM that has ended: nothing left to connect to. */
function EndedNote({ status }: { status: Instance['status'] }) {
  return (
    <p className="muted" role="note">
      {status === 'destroyed' ? 'This VM was destroyed: its server, tailnet device and auth key are gone.' : 'This provision did not finish: its server was removed (see the job below).'} Its last
      addresses are kept for the record only.
    </p>
  );
}

function SshSection({ tailnetIp }: { tailnetIp: string | null }) {
  return (
    <section aria-label="SSH over the tailnet" className="ssh">
      <h3>SSH over the tailnet</h3>
      {tailnetIp ? (
        <div className="code-line">
          <code>ssh root@{tailnetIp}</code>
          <CopyButton text={`ssh root@${tailnetIp}`} label="Copy SSH command" />
        </div>
      ) : (
        <p className="muted">Available once the VM has joined the tailnet.</p>
      )}
    </section>
  );
}

export function InstancePanel({ instanceId }: { instanceId: string }) {
  const select = useUi((s) => s.select);
  const detail = useChannel('instances:get', { instanceId });
  const regions = useChannel('regions:list', {});
  const info = useAppInfo();
  const now = useNow(30_000);
  const [confirming, setConfirming] = useState(false);
  const close = () => select(null);
  const instance = detail.data?.instance;
  const title = instance ? instance.name : 'Instance';
  const city = regions.data?.find((r) => r.name === instance?.region)?.city;
  const destroyable = instance && instance.status !== 'destroyed' && instance.status !== 'destroying' && instance.status !== 'provisioning';
  // An ended VM has no server to reach: nothing in the drawer may act on it or hand out its old addresses.
  const ended = instance ? isEnded(instance) : false;
  const jobs = [...(detail.data?.jobs ?? [])].sort((a, b) => b.job.createdAt.localeCompare(a.job.createdAt));

  return (
    <Dialog
      title={title}
      variant="drawer"
      onClose={close}
      actions={detail.data ? <CopyButton text={diagnostics(detail.data, info.data)} label="Copy diagnostics">Copy diagnostics</CopyButton> : null}
    >
      {detail.error ? <ErrorNotice title="Could not load the instance" error={detail.error} /> : null}
      {instance ? (
        <>
          <div className="panel-badges">
            <Badge>{shownStatus(instance)}</Badge>
            {ended ? null : <Badge>{instance.enrollment}</Badge>}
            {instance.drift && !ended ? <Badge tone="bad">drift</Badge> : null}
          </div>
          {ended ? <EndedNote status={instance.status} /> : <SshSection tailnetIp={instance.tailnetIp} />}
          <section aria-label="Fields">
            <h3>Recorded fields</h3>
            <InstanceFields instance={instance} city={city} now={now} ended={ended} />
          </section>
          {/* An adopted VM's jobs ran on another desktop: where it came from instead. */}
          {instance.origin === 'adopted' ? (
            <AdoptedNote instance={instance} />
          ) : (
          <section aria-label="Jobs of this instance" className="panel-jobs">
            <h3>Jobs</h3>
            {jobs.length === 0 ? <p className="muted">No job recorded for this VM.</p> : null}
            {jobs.map((j) => (
              <JobCard key={j.job.id} jobId={j.job.id} instance={instance} follow="drawer" />
            ))}
          </section>
          )}
          {instance.status === 'destroyed' ? null : (
            <section aria-label="Danger zone" className="danger-zone">
              <h3>Destroy</h3>
              <p className="muted">Deletes the server, its tailnet device and its auth key.</p>
              <GuardedButton channel="instances:destroy" className="btn btn-danger" disabled={!destroyable} onClick={() => setConfirming(true)}>
                Destroy…
              </GuardedButton>
              {!destroyable && instance.status === 'provisioning' ? <p className="muted small">Cancel the running provision instead (Jobs).</p> : null}
            </section>
          )}
          {confirming ? <DestroyDialog instance={instance} onClose={() => setConfirming(false)} onStarted={() => setConfirming(false)} /> : null}
        </>
      ) : null}
    </Dialog>
  );
}
