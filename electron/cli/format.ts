// Terminal output: one line per job event, and plain tables. Never colour when not a TTY.
import type { Instance, Job, JobEvent } from '../../shared/domain';
import { formatDuration } from '../core/provisioning/deadline';

const tty = process.stdout.isTTY === true;
const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const green = (t: string) => paint(32, t);
export const red = (t: string) => paint(31, t);
export const dim = (t: string) => paint(2, t);

export function eventLine(e: JobEvent): string | null {
  const step = (e.step ?? '').padEnd(17);
  const message = typeof e.data.message === 'string' ? e.data.message : '';
  switch (e.type) {
    case 'step_started':
      return dim(`  … ${step}`);
    case 'step_succeeded':
      return `  ${green('✓')} ${step}${dim(formatDuration(e.durationMs ?? 0))}${detail(e)}`;
    case 'step_failed':
      return `  ${red('✗')} ${step}${String(e.data.code)}: ${String(e.data.message)}`;
    case 'compensation':
      return `  ${paint(33, '↺')} ${step}${String(e.data.outcome)}${e.data.id ? ` (${String(e.data.id)})` : ''}`;
    case 'note':
      return dim(`  · ${message}`);
    default:
      return null;
  }
}

function detail(e: JobEvent): string {
  const d = e.data;
  const parts = [
    d.target && d.outcome && `${String(d.target)} ${String(d.outcome).replace('_', ' ')}${d.id ? ` (${String(d.id)})` : ''}`,
    d.serverId && `server ${String(d.serverId)}`, d.publicIpv4 && `ipv4 ${String(d.publicIpv4)}`, d.tailnetIp && `tailnet ${String(d.tailnetIp)}`];
  const text = parts.filter(Boolean).join('  ');
  return text ? `  ${text}` : '';
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function instancesTable(instances: Instance[]): string {
  if (instances.length === 0) return 'No VMs. Provision one with: outpost provision --region fsn1 --type cx22 --image ubuntu-24.04';
  return table([
    ['ID', 'NAME', 'STATUS', 'REGION', 'TYPE', 'IPV4', 'TAILNET IP', 'ENROLLMENT', 'CUSTOMER', 'ORIGIN'],
    ...instances.map((i) => [
      i.id, i.name, i.status, i.region, i.serverType, i.publicIpv4 ?? '-', i.tailnetIp ?? '-', i.enrollment, i.customer ?? '-',
      i.origin === 'adopted' ? `adopted from ${i.originStore ?? 'an unknown store'}` : 'local',
    ]),
  ]);
}

export function jobsTable(jobs: Job[]): string {
  if (jobs.length === 0) return 'No jobs yet.';
  return table([
    ['ID', 'KIND', 'STATUS', 'STEP', 'CREATED', 'ERROR'],
    ...jobs.map((j) => [j.id, j.kind, j.status, j.step ?? '-', j.createdAt, j.error ? `${j.error.step}: ${j.error.code}` : '-']),
  ]);
}
