// `outpost sim`: the simulators alone. Its flags are the simulator's own (electron/sim/flags.ts), so
// commander hands every argument over unread: it would take `--no-enroll` for the negation of an
// `--enroll` that does not exist.
import type { Command } from 'commander';
import { simUsage } from '../../sim/flags';
import { simMain } from '../../sim/run';

export function addSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the Hetzner Cloud and Tailscale simulators (sandbox) on loopback and print their URLs and credentials')
    .argument('[flags...]', 'see below')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', `\n${simUsage}`)
    .action(async (flags: string[]) => {
      await simMain(flags);
    });
}
