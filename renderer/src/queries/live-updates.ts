// Events are hints, the store is the truth (DESIGN §2): an event updates the cached answers it
// affects in place when it can, and otherwise invalidates them so react-query re-reads. A gap in a
// job's `seq` re-reads jobs:get; a reload simply starts from fresh reads.
import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EventPayload, Res } from '../../../shared/contract';
import { isTerminal, type AppInfo, type Instance, type Job, type JobDetail } from '../../../shared/domain';
import { getApi } from '../api';
import { useToasts } from '../stores/toasts';
import { applyProgress, movesInPages, patchPage, upsertJob } from './cache';
import { channelKey } from './use-channel';

/** instance:changed events are applied in batches: a fleet sync can change thousands at once. */
const BATCH_MS = 100;
/**
 * The Fleet's windows are read again at most this often while instances change: with 100 jobs
 * running, every batch patches the rows in place and one re-read a second brings in new VMs, moves
 * and counts, instead of one per event.
 */
export const PAGE_REFRESH_MS = 1000;

/** The instance as a cached instances:page answer holds it (a Fleet window, a Jobs page's names), if one does. */
function cachedInstance(client: QueryClient, id: string): Instance | undefined {
  for (const [, page] of client.getQueriesData<Res<'instances:page'>>({ queryKey: channelKey('instances:page') })) {
    const found = page?.rows.find((i) => i.id === id);
    if (found) return found;
  }
  return undefined;
}

/** Applies a batch; true when the fleet windows must be read again (see movesInPages). */
function applyInstances(client: QueryClient, changed: Map<string, Instance>): boolean {
  let reread = false;
  for (const instance of changed.values()) reread ||= movesInPages(cachedInstance(client, instance.id), instance);
  client.setQueriesData<Res<'instances:page'>>({ queryKey: channelKey('instances:page') }, (page) => patchPage(page, changed));
  for (const instance of changed.values()) {
    const key = channelKey('instances:get', { instanceId: instance.id });
    if (client.getQueryData(key)) client.setQueryData<{ instance: Instance; jobs: JobDetail[] }>(key, (d) => (d ? { ...d, instance } : d));
  }
  void client.invalidateQueries({ queryKey: channelKey('regions:list') });
  return reread;
}

function onProgress(client: QueryClient, payload: EventPayload<'job:progress'>, notified: Set<string>): void {
  const { job } = payload;
  const detailKey = channelKey('jobs:get', { jobId: job.id });
  const next = applyProgress(client.getQueryData<JobDetail>(detailKey), payload);
  if (next === null) void client.invalidateQueries({ queryKey: detailKey });
  else if (next) client.setQueryData(detailKey, next);

  let missing = false;
  for (const [key, list] of client.getQueriesData<Job[]>({ queryKey: channelKey('jobs:list') })) {
    const result = upsertJob(list, job);
    if (result.found) client.setQueryData(key, result.list);
    else missing = true;
  }
  if (missing) void client.invalidateQueries({ queryKey: channelKey('jobs:list') });
  if (job.instanceId) void client.invalidateQueries({ queryKey: channelKey('instances:get', { instanceId: job.instanceId }) });

  if (isTerminal(job)) {
    if (job.paymentId) void client.invalidateQueries({ queryKey: channelKey('payments:list') });
    if (!notified.has(job.id)) {
      notified.add(job.id);
      notifyInBrowser(client, job);
    }
  } else if (job.paymentId && payload.event === null) {
    void client.invalidateQueries({ queryKey: channelKey('payments:list') });
  }
}

/** The notification port in browser mode: Electron's main process notifies natively by itself. */
function notifyInBrowser(client: QueryClient, job: Job): void {
  const info = client.getQueryData<AppInfo>(channelKey('app:info', {}));
  const transport = info?.transport ?? (window.outpost ? 'ipc' : 'http');
  if (transport !== 'http') return;
  const name = (job.instanceId ? cachedInstance(client, job.instanceId)?.name : undefined) ?? job.instanceId ?? job.id;
  const what = job.kind === 'destroy' ? 'Destroy' : 'Provision';
  // One toast per job: a retry's outcome replaces its failed original's toast (a job is retried once).
  const group = job.retryOf ?? job.id;
  if (job.status === 'succeeded') {
    useToasts.getState().push({ group, tone: 'ok', title: `${what} of ${name} finished`, body: job.kind === 'destroy' ? 'The VM, its device and its key are gone.' : 'The VM is enrolled in the tailnet.' });
  } else {
    const error = job.error ? `${job.error.step}: ${job.error.message}` : 'Cancelled by an operator.';
    useToasts.getState().push({ group, tone: 'bad', title: `${what} of ${name} ${job.status}`, body: error });
  }
}

export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const api = getApi();
    const notified = new Set<string>();
    let pending = new Map<string, Instance>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Leading and trailing: the first change is re-read at once, later ones at most once per PAGE_REFRESH_MS.
    let lastReread = Number.NEGATIVE_INFINITY;
    let rereadTimer: ReturnType<typeof setTimeout> | null = null;
    const reread = () => {
      rereadTimer = null;
      lastReread = Date.now();
      void client.invalidateQueries({ queryKey: channelKey('instances:page') });
    };
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = new Map();
      if (!applyInstances(client, batch) || rereadTimer) return;
      rereadTimer = setTimeout(reread, Math.max(0, lastReread + PAGE_REFRESH_MS - Date.now()));
    };
    const offs = [
      api.on('instance:changed', ({ instance }) => {
        pending.set(instance.id, instance);
        timer ??= setTimeout(flush, BATCH_MS);
      }),
      api.on('job:progress', (payload) => onProgress(client, payload, notified)),
    ];
    return () => {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
      if (rereadTimer) clearTimeout(rereadTimer);
    };
  }, [client]);
}
