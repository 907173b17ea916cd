// The Jobs page and a batch's result name the VMs of the jobs they show. They ask the store for those
// instances alone (instances:page by ids), never for the whole fleet: it may hold 100,000 rows, and
// a list of jobs names a few hundred VMs at most. Each request is a cached query like a Fleet window,
// so instance events patch its rows in place (queries/live-updates.ts).
import { useQueries, useQueryClient, type QueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { Req, Res } from '../../../../shared/contract';
import type { Instance, Job } from '../../../../shared/domain';
import { FLEET_IDS_MAX, FLEET_WINDOW_MAX } from '../../../../shared/fleet-query';
import { getApi } from '../../api';
import { channelKey } from '../../queries/use-channel';

type Page = Res<'instances:page'>;

/** Ids per request: as many as one request may name and one answer may hold. */
export const IDS_PER_REQUEST = Math.min(FLEET_IDS_MAX, FLEET_WINDOW_MAX);

/** The instances the jobs ran on (a job refused before it reserved a VM has none). */
export const instanceIdsOf = (jobs: readonly Job[]): string[] => jobs.flatMap((j) => (j.instanceId ? [j.instanceId] : []));

/**
 * The requests for these instances. The ids are deduplicated and sorted, so the same VMs are the same
 * cached queries whatever the order of the jobs naming them.
 */
export function instancesByIdRequests(ids: readonly string[]): Req<'instances:page'>[] {
  const sorted = [...new Set(ids)].sort();
  const out: Req<'instances:page'>[] = [];
  for (let n = 0; n < sorted.length; n += IDS_PER_REQUEST) {
    const chunk = sorted.slice(n, n + IDS_PER_REQUEST);
    // showEnded: by default the store hides failed and destroyed VMs, and a finished job's VM is often one.
    out.push({ ids: chunk, showEnded: true, limit: chunk.length });
  }
  return out;
}

/**
 * The rows of these ids that cached answers already hold. When a new job changes the ids, its request
 * is a new query: until it is answered these stand in, so the names shown do not fall back to ids.
 */
function heldRows(client: QueryClient, ids: readonly string[]): Page | undefined {
  const wanted = new Set(ids);
  const held = new Map<string, Instance>();
  for (const [, page] of client.getQueriesData<Page>({ queryKey: channelKey('instances:page') })) {
    for (const i of page?.rows ?? []) if (wanted.has(i.id)) held.set(i.id, i);
  }
  if (held.size === 0) return undefined;
  // Only the rows are read (byIdOf); the counts of a stand-in are never shown.
  return { rows: [...held.values()], offset: 0, total: held.size, capped: false, selectable: 0, counts: { live: 0, ended: 0, drift: 0 } };
}

// At module level so react-query keeps the map while the answers are unchanged (a new function each
// render would rebuild it every time).
function byIdOf(results: UseQueryResult<Page>[]): ReadonlyMap<string, Instance> {
  const out = new Map<string, Instance>();
  for (const r of results) for (const i of r.data?.rows ?? []) out.set(i.id, i);
  return out;
}

/** The instances of these ids, by id, as they arrive; an id the store does not know is absent. */
export function useInstancesById(ids: readonly string[]): ReadonlyMap<string, Instance> {
  const client = useQueryClient();
  return useQueries({
    queries: instancesByIdRequests(ids).map((request) => ({
      queryKey: channelKey('instances:page', request),
      queryFn: (): Promise<Page> => getApi().call('instances:page', request),
      placeholderData: () => heldRows(client, request.ids ?? []),
    })),
    combine: byIdOf,
  });
}
