// `outpost diagnostics --out FILE`: the archive a support person asks for (the desktop's Help →
// Export diagnostics writes the same). It reads the data directory without starting the runtime:
// no lock (works while the app runs), no vault (no passphrase asked, no token decrypted).
import type { Command } from 'commander';
import { OUTPOST_VERSION } from '../../boot/version';
import { exportDiagnostics } from '../../core/diagnostics';

export function addDiagnosticsCommand(program: Command, cli: () => { dataDir: string }, exit: (code: number) => void): void {
  program
    .command('diagnostics')
    .description('write a zip for support: versions, settings without secrets, store statistics, recent jobs and logs, all redacted')
    .requiredOption('--out <file>', 'where to write the archive, e.g. outpost-diagnostics.zip')
    .action(async (opts: { out: string }) => {
      const { file, bytes, entries } = await exportDiagnostics(opts.out, { dataDir: cli().dataDir, appVersion: OUTPOST_VERSION });
      console.log(`Diagnostics written to ${file} (${bytes} bytes: ${entries.join(', ')}).`);
      console.log('Secrets are redacted; read it before you send it if you like: it is a plain zip of text files.');
      exit(0);
    });
}
