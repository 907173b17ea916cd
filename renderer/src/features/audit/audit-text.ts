// An audit entry in words, the same on the page and in the CSV export: the action as an operator
// says it, the target by name (id beside it), and what changed as old → new.
import type { AuditEntry } from '../../../../shared/domain';

const ACTIONS: Record<string, string> = {
  'provision:start': 'Provision VM',
  'provision:cancel': 'Cancel provision',
  'instances:destroy': 'Destroy VM',
  'jobs:retry': 'Retry job',
  'payments:record': 'Record payment',
  'fleet:sync': 'Sync fleet',
  'settings:update': 'Change settings',
  'tokens:set': 'Store token',
  'tokens:test': 'Test token',
  'tokens:clear': 'Remove token',
  'tokens:reset': 'Reset vault',
};

/** "Destroy VM" for instances:destroy; a channel without words reads as itself. */
export const actionLabel = (action: string): string => ACTIONS[action] ?? action;

const value = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** What changed, old → new: "operatorName: Ada → Grace". Empty when nothing changed. */
export function changesText(detail: Record<string, unknown>): string {
  const changes = Array.isArray(detail.changes) ? (detail.changes as { field: string; from: unknown; to: unknown }[]) : [];
  return changes.map((c) => `${c.field}: ${value(c.from)} → ${value(c.to)}`).join(' · ');
}

/** The rest of the detail (a refusal's code and message, …); the transport is noise here. */
export function restText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([k]) => k !== 'transport' && k !== 'changes')
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join(' · ');
}

export const targetText = (e: AuditEntry): string => (e.targetName ? `${e.targetName}${e.target ? ` (${e.target})` : ''}` : (e.target ?? ''));
