import type { Instance } from '../../../../shared/domain';

export interface Column {
  id: string;
  label: string;
  width: string;
  value(instance: Instance, now: number): string;
}

export function age(createdAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

const price = (gross: string | null): string => (gross === null ? '—' : `€${Number(gross).toFixed(2)}`);

export const COLUMNS: Column[] = [
  { id: 'name', label: 'Name', width: '1.2fr', value: (i) => i.name },
  { id: 'agent', label: 'Agent · customer', width: '1.5fr', value: (i) => (i.customer ? `${i.agentName} · ${i.customer}` : i.agentName) },
  { id: 'region', label: 'Region', width: '0.7fr', value: (i) => i.region },
  { id: 'type', label: 'Type', width: '0.6fr', value: (i) => i.serverType },
  { id: 'status', label: 'Status', width: '0.9fr', value: (i) => i.status },
  { id: 'ipv4', label: 'Public IPv4', width: '1.1fr', value: (i) => i.publicIpv4 ?? '—' },
  { id: 'tailnet', label: 'Tailnet IP', width: '1.2fr', value: (i) => i.tailnetIp ?? '—' },
  { id: 'enrollment', label: 'Enrollment', width: '1fr', value: (i) => i.enrollment },
  { id: 'age', label: 'Age', width: '0.5fr', value: (i, now) => age(i.createdAt, now) },
  { id: 'price', label: 'Monthly', width: '0.8fr', value: (i) => price(i.monthlyPriceGross) },
];

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ');
