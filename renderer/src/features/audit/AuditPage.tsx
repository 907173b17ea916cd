// The audit log, worth reading: who (actor and role), what (the action in words), to what (target by
// name, id beside it), what changed (old → new), and the outcome. Filters run in core (actor and
// target in part, action, outcome, a day range); Export CSV saves exactly the rows shown.
import { useDeferredValue, useState } from 'react';
import { AUDIT_OUTCOMES } from '../../../../shared/domain';
import { MUTATING_CHANNELS } from '../../../../shared/permissions';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { dateTime } from '../../lib/format';
import { useChannel } from '../../queries/use-channel';
import { actionLabel, changesText, restText } from './audit-text';
import { auditCsv, downloadCsv } from './csv';

/** A day picked in the browser's time zone, as the instant it starts (or ends). */
const dayStart = (day: string): string | undefined => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayEnd = (day: string): string | undefined => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);
const LIMIT = 5000;

export function AuditPage() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const deferredActor = useDeferredValue(actor.trim());
  const deferredTarget = useDeferredValue(target.trim());
  const fromAt = dayStart(from);
  const toAt = dayEnd(to);
  const query = {
    limit: LIMIT,
    ...(action ? { action } : {}),
    ...(deferredActor ? { actor: deferredActor } : {}),
    ...(deferredTarget ? { target: deferredTarget } : {}),
    ...(outcome ? { outcome: outcome as (typeof AUDIT_OUTCOMES)[number] } : {}),
    ...(fromAt ? { from: fromAt } : {}),
    ...(toAt ? { to: toAt } : {}),
  };
  const audit = useChannel('audit:list', query);
  const rows = audit.data ?? [];
  const filtering = Boolean(action || actor || target || outcome || from || to);
  const exportCsv = () => downloadCsv(`outpost-audit-${new Date().toISOString().slice(0, 10)}.csv`, auditCsv(rows));
  return (
    <>
      <PageHeader title="Audit" subtitle="Every change and every refused attempt: who, what, to what, what changed, outcome.">
        <button type="button" className="btn" disabled={rows.length === 0} onClick={exportCsv}>
          Export CSV
        </button>
      </PageHeader>
      <div className="toolbar" role="search" aria-label="Filter the audit log">
        <select aria-label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">Action: all</option>
          {MUTATING_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {actionLabel(c)}
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
        <label className="inline-field">
          From <input type="date" aria-label="From day" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline-field">
          To <input type="date" aria-label="To day" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {audit.error ? <ErrorNotice title="Could not load the audit log" error={audit.error} /> : null}
      {audit.data && rows.length === 0 ? (
        <EmptyState title={filtering ? 'No entry matches' : 'Nothing audited yet'}>
          <p>{filtering ? 'Clear a filter to see more.' : 'Every provision, destroy, payment and settings change is logged here with who did it and the outcome.'}</p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          {rows.length === LIMIT ? <p className="muted small">The newest {LIMIT} entries; narrow the filters to see older ones.</p> : null}
          <table className="simple-table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">What changed</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const changes = changesText(e.detail);
                const rest = restText(e.detail);
                return (
                  <tr key={e.id}>
                    <td className="nowrap">{dateTime(e.at)}</td>
                    <td>
                      {e.actor} <span className="muted small">{e.role}</span>
                    </td>
                    <td>
                      {actionLabel(e.action)} <span className="mono muted small">{e.action}</span>
                    </td>
                    <td>
                      {e.targetName ? <span>{e.targetName} </span> : null}
                      <span className={e.targetName ? 'mono muted small' : 'mono'}>{e.target ?? '—'}</span>
                    </td>
                    <td className="small">
                      {changes || <span className="muted">—</span>}
                      {rest ? <div className="muted">{rest}</div> : null}
                    </td>
                    <td>
                      <Badge>{e.outcome}</Badge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
