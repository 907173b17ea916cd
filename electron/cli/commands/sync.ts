// `outpost sync [--json]`: one fleet sync, then its report — what changed, what was adopted from other
// desktops, what an Outpost destroyed elsewhere, what drifted, and the unowned servers (README "One
// fleet, many desktops"). It reads the clouds and updates this store; it changes nothing in the clouds,
// so the support role and a read-only Hetzner token may run it.
import type { Command } from 'commander';
import type { FleetSyncSummary } from '../../../shared/domain';
import { dim, table } from '../format';
import { inSession, type CliOptions } from '../session';

type Cli = Omit<CliOptions, 'resume'>;

export function syncReport(summary: FleetSyncSummary): string {
  const lines = [
    `Synced ${summary.at}: ${summary.updated} updated, ${summary.adopted.length} adopted, ${summary.destroyed.length} destroyed elsewhere, ` +
      `${summary.drifted.length} drifted, ${summary.unowned.length} unowned, ${summary.pending} being provisioned elsewhere.`,
  ];
  if (summary.devices !== 'ok') lines.push(dim(`The tailnet device list was ${summary.devices}: tailnet state, adoption and destroyed-vs-drift wait for the next sync.`));
  if (summary.drifted.length) lines.push(`Drifted (server gone, device still in the tailnet): ${summary.drifted.join(', ')}`);
  if (summary.unowned.length) {
    lines.push('Unowned servers (adopt or delete them in the panel):');
    lines.push(
      table([
        ['SERVER', 'NAME', 'STATUS', 'REGION', 'CREATED', 'JOB', 'STORE'],
        ...summary.unowned.map((u) => [String(u.serverId), u.name, u.status, u.region ?? '-', u.created, u.jobId ?? '-', u.originStore ?? '-']),
      ]),
    );
  }
  return lines.join('\n');
}

export async function runSync(cli: Cli, json: boolean, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: false }, { json, print }, async (session) => {
    const summary = await session.api.call('fleet:sync', {});
    print(json ? JSON.stringify({ mode: session.runtime.mode, ...summary }) : `${dim(`${session.runtime.mode} mode · ${session.runtime.dataDir}`)}\n${syncReport(summary)}`);
    return 0;
  });
}

export function addSyncCommand(program: Command, cli: () => Cli, exit: (code: number) => void): void {
  program
    .command('sync')
    .description('reconcile the store with Hetzner and Tailscale once: adopt other desktops\' VMs, record destroyed and drifted ones, list unowned servers')
    .option('--json', 'JSON output', false)
    .action(async (opts: { json: boolean }) => exit(await runSync(cli(), opts.json)));
}
