// The fleet sync bar's one state, from the sync query: it is syncing, or its last outcome failed, or
// succeeded, or it never ran. One state at a time, so the bar cannot say "Synced" and "failed" at
// once (react-query keeps the last good data next to a later error, and the error during a refetch).
import { dateTime } from '../../lib/format';

export type SyncState<E = unknown> =
  | { kind: 'idle' }
  | { kind: 'syncing' }
  | { kind: 'synced'; at: string; devicesUnavailable: boolean }
  | { kind: 'failed'; error: E; lastSyncedAt: string | null };

export interface SyncQuery<E> {
  isFetching: boolean;
  status: 'pending' | 'error' | 'success';
  data?: { at: string; devices: string } | undefined;
  error: E | null;
}

export function syncState<E>(q: SyncQuery<E>): SyncState<E> {
  if (q.isFetching) return { kind: 'syncing' };
  if (q.status === 'error' && q.error !== null) return { kind: 'failed', error: q.error, lastSyncedAt: q.data?.at ?? null };
  if (q.data) return { kind: 'synced', at: q.data.at, devicesUnavailable: q.data.devices === 'failed' };
  return { kind: 'idle' };
}

export function syncStatusText<E>(s: SyncState<E>): string {
  switch (s.kind) {
    case 'idle':
      return 'Drift and unowned servers: run a fleet sync';
    case 'syncing':
      return 'Syncing with Hetzner and Tailscale…';
    case 'synced':
      return `Synced ${dateTime(s.at)}${s.devicesUnavailable ? ' · the tailnet device list was unavailable' : ''}`;
    case 'failed':
      return `Sync failed${s.lastSyncedAt ? ` · last good sync ${dateTime(s.lastSyncedAt)}` : ''}`;
  }
}
