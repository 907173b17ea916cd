// Every recorded field of an instance, each with a copy button when there is something to copy.
import type { Instance } from '../../../../shared/domain';
import { shownStatus } from '../../../../shared/instance-status';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { ago, dateTime, euro } from '../../lib/format';

type Row = [label: string, value: string | null, display?: React.ReactNode];

/** What reaches a server: of an ended VM these are history, shown without a copy button. */
const REACHES_THE_SERVER = new Set(['Server id', 'Public IPv4', 'Public IPv6', 'Tailnet IP', 'Node id']);

function rows(i: Instance, city: string | undefined, now: number): Row[] {
  return [
    ['Name', i.name],
    ['Hostname', i.hostname],
    ['Instance id', i.id],
    ['Agent', i.agentName],
    ['Agent id', i.agentId],
    ['Customer', i.customer],
    ['Region', i.region, city ? `${i.region} · ${city}` : i.region],
    ['Server type', i.serverType],
    ['Image', i.image],
    ['Status', i.status, <Badge key="s">{shownStatus(i)}</Badge>],
    ['Server id', i.serverId === null ? null : String(i.serverId)],
    ['Public IPv4', i.publicIpv4],
    ['Public IPv6', i.publicIpv6],
    ['Tailnet IP', i.tailnetIp],
    ['Node id', i.nodeId],
    ['Enrollment', i.enrollment, <Badge key="e">{i.enrollment}</Badge>],
    ['Last seen', i.lastSeen, i.lastSeen ? `${dateTime(i.lastSeen)} (${ago(i.lastSeen, now)})` : '—'],
    ['Drift', i.drift ? 'yes' : 'no', i.drift ? <Badge key="d" tone="bad">in the store, gone from the cloud</Badge> : 'no'],
    ['Monthly price', i.monthlyPriceGross, euro(i.monthlyPriceGross)],
    ['Job id', i.jobId],
    ['Created', i.createdAt, dateTime(i.createdAt)],
    ['Updated', i.updatedAt, dateTime(i.updatedAt)],
  ];
}

export function InstanceFields({ instance, city, now, ended = false }: { instance: Instance; city: string | undefined; now: number; ended?: boolean }) {
  return (
    <dl className="fields" aria-label="Recorded fields">
      {rows(instance, city, now).map(([label, value, display]) => (
        <div key={label} className="field-row">
          <dt>{label}</dt>
          <dd>
            {ended && REACHES_THE_SERVER.has(label) ? (
              <span className="field-value muted">{value ? `${value} (released)` : '—'}</span>
            ) : (
              <>
                <span className="field-value">{display ?? value ?? '—'}</span>
                {value ? <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} /> : null}
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
