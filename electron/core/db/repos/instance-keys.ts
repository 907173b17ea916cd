// The columns an instance row carries for the fleet's search and sorts (migration 9), computed here
// whenever a row is written so that instances:page reads them from indexes. Migration 9 fills them
// for older rows with the same rules in SQL.
import { searchText, type SearchFields } from '../../../../shared/fleet-query';

/** Sorts after every address: a VM without one comes last when ascending. */
export const NO_ADDRESS = '~';
/** Sorts after every price. */
export const NO_PRICE = 1e18;

/** IPv4 with zero-padded octets (10.0.0.9 before 10.0.0.10); anything else lower-cased as it is. */
export function ipSortKey(ip: string | null): string {
  if (!ip) return NO_ADDRESS;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return ip.toLowerCase();
  return ip
    .split('.')
    .map((octet) => String(Number(octet)).padStart(3, '0'))
    .join('.');
}

export function priceSortKey(price: string | null): number {
  return price !== null && /^\d+(\.\d+)?$/.test(price) ? Number(price) : NO_PRICE;
}

export interface DerivedColumns {
  agent_sort: string;
  search_text: string;
  ipv4_sort: string;
  tailnet_sort: string;
  price_sort: number;
}

export function derivedColumns(f: SearchFields & { monthlyPriceGross: string | null }): DerivedColumns {
  return { agent_sort: f.agentName, search_text: searchText(f), ipv4_sort: ipSortKey(f.publicIpv4), tailnet_sort: ipSortKey(f.tailnetIp), price_sort: priceSortKey(f.monthlyPriceGross) };
}
