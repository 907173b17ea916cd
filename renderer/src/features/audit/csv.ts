// The audit log as CSV (RFC 4180: quoted where needed, CRLF lines) for a spreadsheet. A cell that a
// spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is prefixed
// with ' (OWASP "CSV injection"): an actor name or a VM name is typed by people and must stay text.
import type { AuditEntry } from '../../../../shared/domain';
import { actionLabel, changesText, restText } from './audit-text';

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(raw: string): string {
  const text = FORMULA.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const AUDIT_CSV_COLUMNS = ['When (UTC)', 'Actor', 'Role', 'Action', 'Channel', 'Target', 'Target id', 'Outcome', 'What changed', 'Detail'] as const;

export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => [e.at, e.actor, e.role, actionLabel(e.action), e.action, e.targetName ?? '', e.target ?? '', e.outcome, changesText(e.detail), restText(e.detail)]);
  return [AUDIT_CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Hands the CSV to the browser as a download (the desktop app saves it through its download prompt). */
export function downloadCsv(name: string, text: string): void {
  // The byte-order mark makes spreadsheet programs read UTF-8 (names, →) as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
