// `outpost export --out FILE` on a desktop and `outpost import FILE --database URL` on the team server's
// host: moving a solo store into a team database (issue 16 item 7; README "Moving a desktop store to a
// team server"). The work is core's (core/db/transfer); this file picks the stores, holds the data
// directory's lock while a SQLite store is read or written, and says what happened. A database URL is
// never printed: describeStoreLocation names the database without its password.
import { existsSync, readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { OutpostError } from '../../../shared/errors';
import { endpointsFromEnv } from '../../boot/clouds-for-mode';
import { confSettings } from '../../boot/conf-settings';
import { chooseMode, readEnvCredentials } from '../../boot/live-access';
import { lockDataDir } from '../../boot/lock';
import { storeFile, type Mode } from '../../boot/runtime';
import { DATABASE_URL_ENV, describeStoreLocation, teamStoreLocation } from '../../boot/team-store';
import { OUTPOST_VERSION } from '../../boot/version';
import type { StoreLocation } from '../../core/db/engine';
import { Store } from '../../core/db/store';
import { exportStore } from '../../core/db/transfer/export';
import type { TransferCounts } from '../../core/db/transfer/format';
import { importStore, type ImportReport } from '../../core/db/transfer/import';
import { dim } from '../format';
import { commandLineActor } from './users';

interface TransferCli {
  dataDir: string;
  mode?: Mode | undefined;
}

type Print = (line: string) => void;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The rows of a move in words: `3 agents, 4 payments, 7 jobs (80 events), …`. */
export function countsText(c: TransferCounts): string {
  return [
    plural(c.agents, 'agent'),
    plural(c.payments, 'payment'),
    `${plural(c.jobs, 'job')} (${plural(c.job_events, 'event')})`,
    plural(c.instances, 'VM'),
    plural(c.audit_log, 'audit entry', 'audit entries'),
    plural(c.webhook_events, 'webhook delivery', 'webhook deliveries'),
  ].join(', ');
}

/** Runs `fn` on the store, holding the data directory's lock when the store is a file in one. */
async function withStore<T>(location: StoreLocation, lockDir: string | null, fn: (store: Store) => Promise<T>): Promise<T> {
  // One Outpost per data directory: a desktop running on it would go on writing (or start a job) while
  // its store is read for export, or written by an import.
  const unlock = lockDir ? lockDataDir(lockDir) : () => undefined;
  try {
    const store = await Store.open(location);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  } finally {
    unlock();
  }
}

export async function runExport(cli: TransferCli, opts: { out: string; json?: boolean }, print: Print = console.log): Promise<number> {
  if (!existsSync(cli.dataDir)) throw new OutpostError('not_found', `There is no data directory ${cli.dataDir}.`, { hint: 'Pass the desktop\'s data folder with --data-dir (About → Open data folder shows it).' });
  const mode = chooseMode(cli.mode, confSettings(cli.dataDir), readEnvCredentials(() => endpointsFromEnv(process.env))).mode;
  const file = storeFile(cli.dataDir, mode);
  if (!existsSync(file)) {
    throw new OutpostError('not_found', `There is no ${mode} store in ${cli.dataDir}.`, { hint: `Pass --mode ${mode === 'live' ? 'sandbox' : 'live'} for the other one, or the desktop's data folder with --data-dir.` });
  }
  const location: StoreLocation = { engine: 'sqlite', file };
  const snapshot = await withStore(location, cli.dataDir, (store) => exportStore(store, opts.out, { mode, outpostVersion: OUTPOST_VERSION }));
  const { header, usersNotMoved } = snapshot;
  if (opts.json) {
    print(JSON.stringify({ file: opts.out, sourceStoreId: header.sourceStoreId, mode, schemaVersion: header.schemaVersion, counts: header.counts, usersNotMoved }));
    return 0;
  }
  print(
    [
      `Exported the ${mode} store ${header.sourceStoreId} (${describeStoreLocation(location)}) to ${opts.out}:`,
      `  ${countsText(header.counts)}.`,
      ...(usersNotMoved > 0 ? [`${plural(usersNotMoved, 'team user')} of this store ${usersNotMoved === 1 ? 'is' : 'are'} not moved: add people on the team server with outpost users add.`] : []),
      dim('The file holds customers and payments: keep it private, and delete it once it is imported.'),
      `Import it on the team server's host: outpost import ${opts.out} --database URL (or set ${DATABASE_URL_ENV}).`,
    ].join('\n'),
  );
  return 0;
}

interface ImportOpts {
  database?: string;
  intoDataDir?: string;
  json?: boolean;
}

/** The target: an explicit --into-data-dir or --database, else OUTPOST_DATABASE_URL; never a default store. */
function importTarget(cli: TransferCli, opts: ImportOpts): { location: StoreLocation; lockDir: string | null } {
  if (opts.intoDataDir !== undefined && opts.database !== undefined) {
    throw new OutpostError('invalid_input', 'Give one target: --database or --into-data-dir, not both.');
  }
  if (opts.intoDataDir !== undefined) {
    // Only the data directory's SQLite store, whatever OUTPOST_DATABASE_URL says: the option was explicit.
    const { [DATABASE_URL_ENV]: _ignored, ...env } = process.env;
    return { location: teamStoreLocation({ dataDir: opts.intoDataDir, mode: cli.mode }, env), lockDir: opts.intoDataDir };
  }
  if (opts.database === undefined && !process.env[DATABASE_URL_ENV]) {
    throw new OutpostError('invalid_input', 'Name the team\'s database to import into.', {
      hint: `Set ${DATABASE_URL_ENV} (or pass --database postgres://user@host:5432/dbname), or --into-data-dir DIR for a SQLite store.`,
    });
  }
  return { location: teamStoreLocation({ dataDir: cli.dataDir, mode: cli.mode, database: opts.database }), lockDir: null };
}

export function importText(report: ImportReport): string {
  const what = report.mode ? `${report.mode} store` : 'store';
  const lines = [`Imported the ${what} ${report.sourceStoreId} (exported ${report.exportedAt}):`, `  ${countsText(report.counts)}.`];
  const fromExport = report.merged.filter((m) => m.history === 'export');
  const fromTarget = report.merged.filter((m) => m.history === 'target');
  if (fromExport.length) lines.push(`Already here as adopted from their labels, now with the desktop's history: ${fromExport.map((m) => `${m.name} (server ${m.serverId})`).join(', ')}.`);
  if (fromTarget.length) lines.push(`The desktop's adopted copies of VMs this store has were left out: ${fromTarget.map((m) => `${m.name} (server ${m.serverId})`).join(', ')}.`);
  lines.push('Audited as store:import. Work on the team server from now on: the desktop\'s store is unchanged, and a second import of it is refused.');
  return lines.join('\n');
}

export async function runImport(cli: TransferCli, file: string, opts: ImportOpts, print: Print = console.log): Promise<number> {
  const { location, lockDir } = importTarget(cli, opts);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OutpostError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `Cannot read ${file} (${code ?? 'error'}).`);
  }
  if (!opts.json) print(dim(`Importing into ${describeStoreLocation(location)}`));
  const report = await withStore(location, lockDir, (store) => importStore(store, text, { actor: commandLineActor() }));
  print(opts.json ? JSON.stringify({ into: describeStoreLocation(location), ...report }) : importText(report));
  return 0;
}

export function addTransferCommands(program: Command, cli: () => TransferCli, exit: (code: number) => void): void {
  program
    .command('export')
    .description('write this data directory\'s store (the --mode one) to one file, to import into a team server; refused while a job is unfinished')
    .requiredOption('--out <file>', 'the file to write (created owner-only; never overwritten)')
    .option('--json', 'JSON output', false)
    .action(async (opts: { out: string; json: boolean }) => exit(await runExport(cli(), opts)));
  program
    .command('import')
    .argument('<file>', 'a file written by outpost export')
    .description(`add a desktop's exported store to the team's database, all or nothing; refused if any of it is there already (store: --database or ${DATABASE_URL_ENV})`)
    .addOption(new Option('--database <url>', `the team's PostgreSQL database (default: ${DATABASE_URL_ENV})`))
    .addOption(new Option('--into-data-dir <dir>', 'import into the SQLite store of this data directory instead (the --mode one)'))
    .option('--json', 'JSON output', false)
    .action(async (file: string, opts: ImportOpts) => exit(await runImport(cli(), file, opts)));
}
