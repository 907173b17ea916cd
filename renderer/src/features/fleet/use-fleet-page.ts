// The Fleet reads the store in windows (instances:page): the rows in view and one window either side,
// never the whole fleet. Each window is its own cached query ([instances:page, request]), so a
// scroll back is instant and events patch the rows in place (queries/live-updates.ts). While a new
// filter's first window is on its way, the previous answer stays on screen: typing never blanks the list.
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Req, Res } from '../../../../shared/contract';
import type { Instance } from '../../../../shared/domain';
import type { OutpostError } from '../../../../shared/errors';
import { getApi } from '../../api';
import { channelKey } from '../../queries/use-channel';
import { useUi, type FleetFilters, type Sort } from '../../stores/ui';

/** Rows per request: two screens and a half (a small answer is a fast keystroke). */
export const WINDOW = 50;

export type FleetRequest = Omit<Req<'instances:page'>, 'offset' | 'limit'>;

/** The toolbar's filters and the table's sort as the store's question. */
export function fleetRequest(filters: FleetFilters, sort: Sort): FleetRequest {
  const search = filters.search.trim();
  return {
    ...(filters.status === '' ? (filters.showEnded ? { showEnded: true } : {}) : filters.status === 'drift' ? { drift: true } : { status: [filters.status as Instance['status']] }),
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.enrollment ? { enrollment: filters.enrollment as Instance['enrollment'] } : {}),
    ...(search ? { search } : {}),
    sort: sort.key,
    dir: sort.dir,
  };
}

export const windowRequest = (base: FleetRequest, index: number): Req<'instances:page'> => ({ ...base, offset: index * WINDOW, limit: WINDOW });

const windowQuery = (base: FleetRequest, index: number) => {
  const request = windowRequest(base, index);
  return { queryKey: channelKey('instances:page', request), queryFn: (): Promise<Res<'instances:page'>> => getApi().call('instances:page', request) };
};

/**
 * Asks for the first window of new filters from the input handler itself, before React renders
 * them: the request is on its way while the page updates (a new filter shows the list from its top).
 */
export function usePrefetchFleet(): (filters: FleetFilters) => void {
  const client = useQueryClient();
  return (filters) => void client.prefetchQuery(windowQuery(fleetRequest(filters, useUi.getState().sort), 0));
}

/** The windows holding rows first..last (indexes), and one beyond each end so a scroll finds its rows ready. */
export function windowsFor(first: number, last: number): number[] {
  const from = Math.max(0, Math.floor(first / WINDOW) - (first % WINDOW < WINDOW / 4 ? 1 : 0));
  const to = Math.floor(Math.max(first, last) / WINDOW) + (Math.max(first, last) % WINDOW >= (WINDOW * 3) / 4 ? 1 : 0);
  const out: number[] = [];
  for (let w = from; w <= to; w++) out.push(w);
  return out;
}

export interface FleetPage {
  /** Rows the table has (the count, grown past a capped search count as its rows arrive). */
  count: number;
  rowAt(index: number): Instance | undefined;
  /** The latest answer for this request (total, counts); undefined until the first arrives. */
  summary: Omit<Res<'instances:page'>, 'rows' | 'offset'> | undefined;
  /** The summary belongs to an earlier request (a new filter's first answer is on its way). */
  stale: boolean;
  /** Every row of this request held in the windows read so far, by id. */
  loaded: ReadonlyMap<string, Instance>;
  error: OutpostError | null;
  isPending: boolean;
}

export function useFleetPage(base: FleetRequest, range: { first: number; last: number }): FleetPage {
  const indexes = windowsFor(range.first, range.last);
  const query = (w: number) => windowQuery(base, w);
  // The first window in view is one query that keeps the previous request's answer while the new
  // one loads (useQueries would start a new observer for a new key, with nothing to show meanwhile).
  const head = useQuery({ ...query(indexes[0]!), placeholderData: keepPreviousData });
  const rest = useQueries({ queries: indexes.slice(1).map(query) });
  const results = [head, ...rest];
  const byIndex = new Map<number, Res<'instances:page'>>();
  let placeholder: Res<'instances:page'> | undefined;
  results.forEach((r, n) => {
    if (!r.data) return;
    if (r.isPlaceholderData) placeholder = r.data;
    else byIndex.set(indexes[n]!, r.data);
  });
  const fresh = byIndex.values().next().value;
  const latest = fresh ?? placeholder;
  const loaded = new Map<string, Instance>();
  for (const d of byIndex.values()) for (const i of d.rows) loaded.set(i.id, i);
  let count = latest?.total ?? 0;
  if (fresh?.capped) {
    // A capped count is a floor: rows past it exist while windows come back full.
    for (const d of byIndex.values()) count = Math.max(count, d.offset + d.rows.length + (d.rows.length === WINDOW ? 1 : 0));
  }
  const shown = fresh ? undefined : placeholder;
  return {
    count,
    rowAt: (index) => {
      const d = byIndex.get(Math.floor(index / WINDOW));
      if (d) return d.rows[index - d.offset];
      // The previous request's rows, shown where they were while the new ones load.
      return shown ? shown.rows[index - shown.offset] : undefined;
    },
    summary: latest && { total: latest.total, capped: latest.capped, selectable: latest.selectable, counts: latest.counts },
    stale: !fresh && !!latest,
    loaded,
    // The api rejects with OutpostError (queries/use-channel.ts types it the same way).
    error: (results.find((r) => r.error)?.error as OutpostError | undefined) ?? null,
    isPending: !latest && results.some((r) => r.isPending),
  };
}
