// An audit entry in words, the same on the page and in the CSV export: the action as an operator
// says it, the target by name (id beside it), and what changed as old → new.
import type { Channel } from '../../../../shared/contract';
import type { AuditEntry } from '../../../../shared/domain';

// Every mutating channel has words (a test checks it against the permission table), and so do the
// actions written outside a channel: team users managed from the command line, a store import.
const CHANNEL_ACTIONS = {
  'app:restart': 'Restart Outpost',
  'provision:start': 'Provision VM',
  'provision:cancel': 'Cancel provision',
  'instances:destroy': 'Destroy VM',
  'jobs:retry': 'Retry job',
  'payments:record': 'Record payment',
  'unowned:adopt': 'Adopt server',
  'unowned:delete': 'Delete unowned server',
  'settings:update': 'Change settings',
  'team:connect': 'Connect to team server',
  'team:disconnect': 'Disconnect from team server',
  'tokens:set': 'Store token',
  'tokens:clear': 'Remove token',
  'tokens:reset': 'Reset vault',
} as const satisfies Partial<Record<Channel, string>>;

const ACTIONS: Record<string, string> = {
  ...CHANNEL_ACTIONS,
  'fleet:sync': 'Sync fleet',
  'tokens:test': 'Test token',
  'users:add': 'Add user',
  'users:invite': 'New sign-in link',
  'users:sign-out': 'Sign user out',
  'users:token': 'Issue API token',
  'users:revoke-token': 'Revoke API token',
  'users:disable': 'Disable user',
  'users:enable': 'Enable user',
  'users:remove': 'Remove user',
  'store:import': 'Import desktop store',
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
