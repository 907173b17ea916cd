// `outpost`: the headless face of the same core the desktop app runs.
import { Command, InvalidArgumentError } from 'commander';
import { defaultDataDir } from '../boot/data-dir';
import { OUTPOST_VERSION } from '../boot/version';
import { runWeb } from './commands/web';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535.');
  return n;
};

const mode = (value: string): 'sandbox' | 'live' => {
  if (value !== 'sandbox' && value !== 'live') throw new InvalidArgumentError('use sandbox or live.');
  return value;
};

const program = new Command('outpost')
  .description('Agent VMs on Hetzner Cloud that join your Tailscale tailnet.')
  .version(OUTPOST_VERSION)
  .option('--data-dir <dir>', 'where the store, settings and vault live', defaultDataDir());

program
  .command('web')
  .description('serve the control panel to a browser on 127.0.0.1 (browser mode)')
  .option('--port <port>', 'port to listen on (0 picks a free one)', port, 0)
  .option('--mode <mode>', 'sandbox or live (default: the saved setting, else sandbox)', mode)
  .action(async (opts: { port: number; mode?: 'sandbox' | 'live' }) => {
    const { runtime, server } = await runWeb({ dataDir: program.opts<{ dataDir: string }>().dataDir, port: opts.port, mode: opts.mode });
    console.log(`Outpost ${OUTPOST_VERSION} (${runtime.mode}) in browser mode.`);
    console.log(`Open this URL (it contains this run's secret; do not share it):\n\n  ${server.url}\n`);
    console.log(`Data: ${runtime.dataDir}. Stop with Ctrl+C.`);
    const stop = async () => {
      await server.close();
      await runtime.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`outpost: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
