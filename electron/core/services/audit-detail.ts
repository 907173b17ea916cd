// What an audit entry says about a call: its target by id and by name, and what changed. Read by
// people (support, an operator after the fact), so names matter as much as ids; secrets never appear,
// a changed secret reads "changed".
import type { Channel } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain';
import type { Store } from '../db/store';
import type { SettingsStore } from '../ports';
import { readSettings } from '../settings';

export interface AuditTarget {
  target: string | null;
  targetName: string | null;
}

const str = (o: unknown, key: string): string | undefined => {
  if (typeof o !== 'object' || o === null) return undefined;
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
};

const instanceName = async (store: Store, instanceId: string | undefined | null): Promise<string | null> =>
  (instanceId && (await store.instances.get(instanceId))?.name) || null;

/** The id an entry points at (what the request names, else what the answer created) and its name. */
export async function auditTarget(store: Store, channel: Channel, request: unknown, result: unknown): Promise<AuditTarget> {
  switch (channel) {
    case 'settings:update': {
      const keys = typeof request === 'object' && request !== null ? Object.keys(request).sort() : [];
      return { target: 'settings', targetName: keys.length ? keys.join(', ') : null };
    }
    case 'tokens:set':
    case 'tokens:clear':
    case 'tokens:test':
      return { target: str(request, 'provider') ?? null, targetName: null };
    case 'tokens:reset':
      return { target: 'vault', targetName: null };
    case 'payments:record': {
      const reference = str(request, 'reference') ?? str((result as { payment?: unknown } | undefined)?.payment, 'reference') ?? null;
      return { target: reference, targetName: str(request, 'customer') ?? null };
    }
    case 'unowned:adopt':
    case 'unowned:delete': {
      // The server is the target; once adopted, the instance it became is named too.
      const serverId = (request as { serverId?: unknown } | undefined)?.serverId;
      const instanceId = str(result, 'instanceId') ?? str(result, 'id');
      return { target: typeof serverId === 'number' ? `server ${serverId}` : null, targetName: (await instanceName(store, instanceId)) ?? str(request, 'confirmName') ?? null };
    }
    case 'provision:start': {
      // A batch is one entry naming its group and how many VMs it recorded.
      const groupId = str(result, 'groupId');
      const jobs = (result as { jobs?: unknown[] } | undefined)?.jobs;
      if (groupId && jobs) return { target: groupId, targetName: `${jobs.length} VMs of ${str(request, 'agentName') ?? 'an agent'}` };
      const instanceId = str(result, 'instanceId');
      return { target: instanceId ?? null, targetName: await instanceName(store, instanceId) };
    }
    default: {
      const instanceId = str(request, 'instanceId') ?? str(result, 'instanceId');
      const jobId = str(request, 'jobId') ?? str(result, 'jobId');
      if (instanceId) return { target: instanceId, targetName: await instanceName(store, instanceId) };
      if (jobId) return { target: jobId, targetName: await instanceName(store, (await store.jobs.get(jobId))?.instanceId) };
      return { target: null, targetName: null };
    }
  }
}

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Setting changes as old → new, only the fields that really changed. */
export function settingsDiff(before: Settings, after: Settings): Change[] {
  return (Object.keys(after) as (keyof Settings)[])
    .filter((field) => !same(before[field], after[field]))
    .map((field) => ({ field, from: before[field], to: after[field] }));
}

/** The detail of a successful mutation: what it changed. */
export function changesOf(channel: Channel, request: unknown, before: Settings | null, settings: SettingsStore): Record<string, unknown> {
  if (channel === 'settings:update' && before) return { changes: settingsDiff(before, readSettings(settings)) };
  if (channel === 'tokens:set') return { changes: [{ field: str(request, 'provider') ?? 'token', from: 'secret', to: 'changed' }] };
  if (channel === 'tokens:clear') return { changes: [{ field: str(request, 'provider') ?? 'token', from: 'secret', to: 'cleared' }] };
  if (channel === 'provision:start') {
    const quantity = (request as { quantity?: unknown } | undefined)?.quantity;
    if (typeof quantity === 'number' && quantity > 1) return { quantity };
  }
  if (channel === 'tokens:reset') return { changes: [{ field: 'vault', from: 'every stored token', to: 'deleted' }] };
  return {};
}
