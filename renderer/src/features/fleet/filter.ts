// Filtering and sorting the fleet in memory: the whole list is read once and kept current by
// events, so a keystroke costs one pass over a precomputed lower-case haystack per instance.
import type { Instance } from '../../../../shared/domain';
import { isEnded } from '../../../../shared/instance-status';
import type { FleetFilters, Sort, SortKey } from '../../stores/ui';

export interface Indexed {
  instance: Instance;
  haystack: string;
}

export function indexFleet(list: readonly Instance[], cities: ReadonlyMap<string, string>): Indexed[] {
  return list.map((i) => ({
    instance: i,
    haystack: [i.name, i.agentName, i.customer, i.publicIpv4, i.publicIpv6, i.tailnetIp, i.region, cities.get(i.region), i.serverType, i.id, i.serverId]
      .filter((v) => v !== null && v !== undefined)
      .join('\u0000')
      .toLowerCase(),
  }));
}

const ENROLLMENT_ORDER = { online: 0, pending: 1, offline: 2, gone: 3 } as const;

const KEYS: Record<SortKey, (i: Instance) => string | number> = {
  name: (i) => i.name,
  agent: (i) => `${i.agentName} ${i.customer ?? ''}`.toLowerCase(),
  region: (i) => i.region,
  type: (i) => i.serverType,
  status: (i) => i.status,
  ipv4: (i) => ipKey(i.publicIpv4),
  tailnet: (i) => ipKey(i.tailnetIp),
  enrollment: (i) => ENROLLMENT_ORDER[i.enrollment],
  // Ascending age = youngest first.
  age: (i) => -Date.parse(i.createdAt),
  price: (i) => (i.monthlyPriceGross === null ? Number.POSITIVE_INFINITY : Number(i.monthlyPriceGross)),
};

/** IPv4 sorts numerically; missing addresses last. */
function ipKey(ip: string | null): string {
  if (!ip) return '~';
  const parts = ip.split('.');
  return parts.length === 4 ? parts.map((p) => p.padStart(3, '0')).join('.') : ip;
}

export function matches(entry: Indexed, filters: FleetFilters, needle: string): boolean {
  const i = entry.instance;
  if (filters.status === '') {
    if (!filters.showEnded && isEnded(i)) return false;
  } else if (filters.status === 'drift') {
    if (!i.drift) return false;
  } else if (i.status !== filters.status) return false;
  if (filters.region && i.region !== filters.region) return false;
  if (filters.enrollment && i.enrollment !== filters.enrollment) return false;
  return needle === '' || entry.haystack.includes(needle);
}

export function filterAndSort(index: readonly Indexed[], filters: FleetFilters, sort: Sort): Instance[] {
  const needle = filters.search.trim().toLowerCase();
  const out: Instance[] = [];
  for (const entry of index) if (matches(entry, filters, needle)) out.push(entry.instance);
  const key = KEYS[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = out.map((i) => ({ i, k: key(i) }));
  keyed.sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.i.name < b.i.name ? -1 : 1));
  return keyed.map((x) => x.i);
}
