// `outpost`: the headless face of the same core the desktop app runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { OutpostError } from '../../shared/errors';
import { PROVISION_QUANTITY_MAX } from '../../shared/domain';
import { isBlocked } from '../boot/blocked-runtime';
import { defaultDataDir } from '../boot/data-dir';
import { OUTPOST_VERSION } from '../boot/version';
import { addDiagnosticsCommand } from './commands/diagnostics';
import { runList, runJobs, runDestroy, runResume } from './commands/inspect';
import { runProvision } from './commands/provision';
import { addServeCommand } from './commands/serve';
import { addSimCommand } from './commands/sim';
import { addSyncCommand } from './commands/sync';
import { addTransferCommands } from './commands/transfer';
import { addUsersCommand } from './commands/users';
import { addVaultCommand } from './commands/vault';
import { runWeb } from './commands/web';

const integer = (min: number, max: number, what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} is an integer from ${min} to ${max}.`);
  return n;
};
const port = integer(0, 65535, 'a port');
const amount = (value: string): number => {
  const n = Number(value);
  if (!/^\d+(\.\d{1,2})?$/.test(value) || !Number.isFinite(n)) throw new InvalidArgumentError('an amount such as 9.90 (at most two decimals).');
  return n;
};

const count = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > PROVISION_QUANTITY_MAX) throw new InvalidArgumentError(`a whole number of VMs from 1 to ${PROVISION_QUANTITY_MAX}.`);
  return n;
};

const program = new Command('outpost')
  .description('Agent VMs on Hetzner Cloud that join your Tailscale tailnet.')
  .version(OUTPOST_VERSION)
  .option('--data-dir <dir>', 'where the store, settings and vault live', defaultDataDir())
  .addOption(new Option('--mode <mode>', 'sandbox (simulated clouds) or live (default: the saved setting, else live when OUTPOST_* credentials are set, else sandbox); live that cannot be used stops with the reason, never falls back to sandbox').choices(['sandbox', 'live']))
  .showHelpAfterError();

const cli = () => {
  const o = program.opts<{ dataDir: string; mode?: 'sandbox' | 'live' }>();
  return { dataDir: o.dataDir, mode: o.mode };
};
const exit = (code: number) => process.exit(code);

program
  .command('provision')
  .description('provision one VM and wait until it has joined the tailnet (exit 0), or failed and was cleaned up (exit 1)')
  .requiredOption('--region <location>', 'Hetzner location, e.g. fsn1')
  .requiredOption('--type <server-type>', 'Hetzner server type, e.g. cx22')
  .requiredOption('--image <image>', 'image name, e.g. ubuntu-24.04')
  .option('--agent <name>', 'the agent this VM runs (default: "agent", or the customer with --payment)')
  .option('--name <hostname>', 'VM name and tailnet hostname (default: generated from the agent)')
  .option('--payment <reference>', 'record a customer payment with this reference; it provisions exactly once')
  .option('--customer <name>', 'customer (required with --payment)')
  .option('--contact <contact>', 'customer contact')
  .option('--amount <amount>', 'amount paid, e.g. 9.90', amount)
  .option('--currency <code>', 'ISO currency code', 'EUR')
  .option('--count <n>', `how many VMs of this plan, 1–${PROVISION_QUANTITY_MAX}, recorded as one group (not with --payment or --name)`, count)
  .option('--json', 'one JSON line per event, then the result', false)
  .action(async (opts) => {
    if (opts.payment && (!opts.customer || opts.amount === undefined)) {
      throw new InvalidArgumentError('--payment needs --customer and --amount.');
    }
    if (opts.count > 1 && opts.payment) throw new InvalidArgumentError('--count: a payment provisions exactly one VM; leave --count out with --payment.');
    if (opts.count > 1 && opts.name) throw new InvalidArgumentError('--count: a chosen --name fits one VM; leave --name out to generate one per VM.');
    exit(await runProvision(cli(), opts));
  });

program
  .command('destroy')
  .argument('<instance>', 'instance id or name (see outpost list)')
  .description('delete the VM, its tailnet device and its key, and wait until they are gone')
  .option('--json', 'JSON output', false)
  .action(async (instance: string, opts: { json: boolean }) => exit(await runDestroy(cli(), instance, opts.json)));

program
  .command('list')
  .description('the VMs in the store')
  .option('--all', 'include destroyed VMs', false)
  .option('--json', 'JSON output', false)
  .action(async (opts: { json: boolean; all: boolean }) => exit(await runList(cli(), opts.json, opts.all)));

program
  .command('jobs')
  .description('recent provisioning and destroy jobs')
  .option('--json', 'JSON output', false)
  .action(async (opts: { json: boolean }) => exit(await runJobs(cli(), opts.json)));

program
  .command('resume')
  .description('finish or clean up every job an earlier run left unfinished, and wait for them')
  .option('--json', 'JSON output', false)
  .action(async (opts: { json: boolean }) => exit(await runResume(cli(), opts.json)));

program
  .command('web')
  .description('serve the control panel to a browser on 127.0.0.1 (browser mode)')
  .option('--port <port>', 'port to listen on (0 picks a free one)', port, 0)
  .action(async (opts: { port: number }) => {
    const { runtime, server } = await runWeb({ ...cli(), port: opts.port });
    if (isBlocked(runtime)) {
      console.error(`outpost: Live mode is unavailable: ${runtime.liveUnavailable.reason}\n  ${runtime.liveUnavailable.hint}`);
      console.log(`Outpost ${OUTPOST_VERSION} in browser mode, blocked: the panel says why and can switch to sandbox on purpose.`);
    } else console.log(`Outpost ${OUTPOST_VERSION} (${runtime.mode}) in browser mode.`);
    console.log(`Open this URL (it contains this run's secret; do not share it):\n\n  ${server.url}\n`);
    if (server.webhookUrl) console.log(`Payments webhook: POST ${server.webhookUrl} (signed with OUTPOST_WEBHOOK_SECRET).`);
    console.log(`Data: ${runtime.dataDir}. Stop with Ctrl+C.`);
    const stop = async () => {
      await server.close();
      await runtime.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

addSimCommand(program);
addSyncCommand(program, cli, exit);
addVaultCommand(program, cli, exit);
addDiagnosticsCommand(program, cli, exit);
addTransferCommands(program, cli, exit);
addServeCommand(program, cli);
addUsersCommand(program, cli, exit);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof OutpostError) {
    console.error(`outpost: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}`);
  } else {
    console.error(`outpost: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
