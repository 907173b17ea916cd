import { useDeferredValue, useState } from 'react';
import { AUDIT_OUTCOMES } from '../../../../shared/domain';
import { MUTATING_CHANNELS } from '../../../../shared/permissions';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { dateTime } from '../../lib/format';
import { useChannel } from '../../queries/use-channel';

const value = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** What changed (old → new), then the rest of the detail; the transport is noise here. */
const detailText = (detail: Record<string, unknown>): string => {
  const changes = Array.isArray(detail.changes) ? (detail.changes as { field: string; from: unknown; to: unknown }[]) : [];
  const rest = Object.entries(detail)
    .filter(([k]) => k !== 'transport' && k !== 'changes')
    .map(([k, v]) => `${k}: ${value(v)}`);
  return [...changes.map((c) => `${c.field}: ${value(c.from)} → ${value(c.to)}`), ...rest].join(' · ');
};

export function AuditPage() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState('');
  const deferredActor = useDeferredValue(actor.trim());
  const deferredTarget = useDeferredValue(target.trim());
  const query = {
    limit: 500,
    ...(action ? { action } : {}),
    ...(deferredActor ? { actor: deferredActor } : {}),
    ...(deferredTarget ? { target: deferredTarget } : {}),
  };
  const audit = useChannel('audit:list', query);
  const rows = (audit.data ?? []).filter((e) => !outcome || e.outcome === outcome);
  const filtering = Boolean(action || actor || target || outcome);
  return (
    <>
      <PageHeader title="Audit" subtitle="Every change and every refused attempt: who, what, when, outcome." />
      <div className="toolbar" role="search" aria-label="Filter the audit log">
        <select aria-label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">Action: all</option>
          {MUTATING_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">Outcome: all</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <input type="search" className="search narrow" placeholder="Actor" aria-label="Actor" value={actor} onChange={(e) => setActor(e.target.value)} />
        <input type="search" className="search narrow" placeholder="Target: name, id or reference" aria-label="Target" value={target} onChange={(e) => setTarget(e.target.value)} />
      </div>
      {audit.error ? <ErrorNotice title="Could not load the audit log" error={audit.error} /> : null}
      {audit.data && rows.length === 0 ? (
        <EmptyState title={filtering ? 'No entry matches' : 'Nothing audited yet'}>
          <p>{filtering ? 'Clear a filter to see more.' : 'Every provision, destroy, payment and settings change is logged here with who did it and the outcome.'}</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="simple-table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{dateTime(e.at)}</td>
                  <td>
                    {e.actor} <span className="muted small">{e.role}</span>
                  </td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.targetName ? <span>{e.targetName} </span> : null}
                    <span className={e.targetName ? 'mono muted small' : 'mono'}>{e.target ?? '—'}</span>
                  </td>
                  <td>
                    <Badge>{e.outcome}</Badge>
                  </td>
                  <td className="muted small">{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
