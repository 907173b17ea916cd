// The things the palette can jump to: VMs as the store found them (instances:page), jobs and
// payments from the lists the panel already reads (jobs:list, payments:list), each with the fields
// it is found by, folded once per list.
import type { Instance, Job, Payment } from '../../../../shared/domain';
import { haystack, matches } from './match';

export type EntryKind = 'vm' | 'job' | 'payment';

export interface Entry {
  kind: EntryKind;
  id: string;
  label: string;
  detail: string;
  /** Folded search fields (match.ts). */
  hay: string;
}

/** Results shown per group: the palette is for jumping to one thing; the pages list them all. */
export const PER_GROUP = 8;

export function vmEntries(instances: readonly Instance[]): Entry[] {
  return instances.map((i) => ({
    kind: 'vm',
    id: i.id,
    label: i.name,
    detail: [i.status, i.publicIpv4, i.tailnetIp && `tailnet ${i.tailnetIp}`, i.agentName, i.paymentReference].filter(Boolean).join(' · '),
    hay: haystack([i.name, i.publicIpv4, i.publicIpv6, i.tailnetIp, i.agentName, i.customer, i.paymentReference, i.hostname, i.id]),
  }));
}

export function jobEntries(jobs: readonly Job[], names: ReadonlyMap<string, string>): Entry[] {
  return jobs.map((j) => {
    const vm = j.instanceId ? (names.get(j.instanceId) ?? j.instanceId) : null;
    const what = j.kind === 'destroy' ? 'Destroy' : 'Provision';
    return {
      kind: 'job',
      id: j.id,
      label: vm ? `${what} of ${vm}` : what,
      detail: `${j.status} · ${j.id}`,
      hay: haystack([j.id, vm, j.status, j.kind]),
    };
  });
}

export function paymentEntries(payments: readonly Payment[]): Entry[] {
  return payments.map((p) => ({
    kind: 'payment',
    id: p.id,
    label: p.reference,
    detail: `${p.customer} · ${p.status}`,
    hay: haystack([p.reference, p.customer, p.id]),
  }));
}

/** The first PER_GROUP entries matching every part; nothing for a blank query. */
export function search(entries: readonly Entry[], parts: readonly string[]): Entry[] {
  if (parts.length === 0) return [];
  const found: Entry[] = [];
  for (const e of entries) {
    if (!matches(parts, e.hay)) continue;
    found.push(e);
    if (found.length === PER_GROUP) break;
  }
  return found;
}
