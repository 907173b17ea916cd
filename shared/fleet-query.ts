// What the Fleet asks the store for (instances:page): filters, one sort from a fixed list, and a
// window of rows. The store answers in SQL on indexes (electron/core/db/repos/instance-page.ts); the
// renderer fetches windows as the operator scrolls. The same rules in plain code live here too, for
// the renderer's own checks on rows it already holds (is a selected VM still shown?), and so a test
// can hold the SQL to them.
import { INSTANCE_STATUSES, type Instance } from './domain';
import { ENDED_INSTANCE_STATUSES, isEnded } from './instance-status';

/** Columns the fleet sorts by. Ties: then by age in the same sense (youngest first when ascending), then by id. */
export const FLEET_SORT_KEYS = ['name', 'agent', 'region', 'type', 'status', 'ipv4', 'tailnet', 'enrollment', 'age', 'price'] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];

/** Rows per request at most: a window, never the fleet. */
export const FLEET_WINDOW_MAX = 500;
/** More ids than a page holds are never asked for at once. */
export const FLEET_IDS_MAX = 500;
/**
 * A search counts its matches up to this many and stops ("more than 1,000"): counting every match of
 * a common word costs a read of the whole fleet per keystroke. Its rows are still all there: the list
 * grows as the operator scrolls past the count.
 */
export const FLEET_COUNT_CAP = 1000;

/** The filters of a fleet query (instances:page without its window and sort). */
export interface FleetFilter {
  /** Only these statuses; absent or empty: every status but the ended ones, unless showEnded. */
  status?: readonly Instance['status'][] | undefined;
  /** Failed and destroyed VMs too (they are hidden by default). Ignored when `status` is given. */
  showEnded?: boolean | undefined;
  /** Only drifted VMs (in the store, gone from the cloud) that have not ended. */
  drift?: boolean | undefined;
  region?: string | undefined;
  enrollment?: Instance['enrollment'] | undefined;
  /** Every word must appear in the name, agent, customer, an address or the server id (any case, accents ignored). */
  search?: string | undefined;
  /** Only these instances (by id). */
  ids?: readonly string[] | undefined;
}

/** Lower case without combining marks, so "angstrom" finds "Ångström" and "ZOË" finds "zoë". */
export const foldText = (text: string): string => text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');

/** The words of a search, folded; empty when it is blank. */
export const searchWords = (search: string | undefined): string[] => (search ? foldText(search).split(/\s+/).filter(Boolean) : []);

/** The fields an instance is found by. */
export interface SearchFields {
  name: string;
  agentName: string;
  customer: string | null;
  publicIpv4: string | null;
  publicIpv6: string | null;
  tailnetIp: string | null;
  serverId: number | null;
}

/**
 * The text the store keeps for searching, folded once when a row is written: the fields one per
 * line, so a word (which holds no whitespace) never matches across two of them.
 */
export function searchText(f: SearchFields): string {
  const fields = [f.name, f.agentName, f.customer, f.publicIpv4, f.publicIpv6, f.tailnetIp, f.serverId === null ? null : String(f.serverId)];
  return foldText(fields.filter((v): v is string => v !== null && v !== '').join('\n'));
}

/** Statuses of VMs that have not ended: the default view. */
export const LIVE_STATUSES: readonly Instance['status'][] = INSTANCE_STATUSES.filter((s) => !(ENDED_INSTANCE_STATUSES as readonly string[]).includes(s));

/** The statuses a filter shows; null: every status. */
export function shownStatuses(filter: FleetFilter): readonly Instance['status'][] | null {
  if (filter.status && filter.status.length > 0) return filter.status;
  return filter.showEnded ? null : LIVE_STATUSES;
}

/** Does the instance pass the filter? The store's WHERE clause, in code. */
export function matchesFleetFilter(i: Instance, filter: FleetFilter): boolean {
  const statuses = shownStatuses(filter);
  if (statuses && !statuses.includes(i.status)) return false;
  if (filter.drift && (!i.drift || isEnded(i))) return false;
  if (filter.region && i.region !== filter.region) return false;
  if (filter.enrollment && i.enrollment !== filter.enrollment) return false;
  if (filter.ids && !filter.ids.includes(i.id)) return false;
  const words = searchWords(filter.search);
  if (words.length === 0) return true;
  const text = searchText(i);
  return words.every((w) => text.includes(w));
}
