// `outpost diagnostics --out FILE`: the archive a support person asks for (the desktop's Help →
// Export diagnostics writes the same). It reads the data directory without starting the runtime:
// no lock (works while the app runs), no vault (no passphrase asked, no token decrypted). On a team
// host it also reads the server's PostgreSQL store (--database or OUTPOST_DATABASE_URL), read-only.
import type { Command } from 'commander';
import { DATABASE_URL_ENV, describeStoreLocation, teamStoreLocation } from '../../boot/team-store';
import { OUTPOST_VERSION } from '../../boot/version';
import { exportDiagnostics, type PostgresTarget } from '../../core/diagnostics';

/**
 * The team server's store, when one is named. Only a URL given here or in the environment counts:
 * without one the SQLite files are summarised anyway, so teamStoreLocation's fallback is not wanted.
 * A URL that is not PostgreSQL is refused by teamStoreLocation without quoting it (it may hold a password).
 */
export function diagnosticsDatabase(database: string | undefined, dataDir: string, env: NodeJS.ProcessEnv = process.env): PostgresTarget | undefined {
  if (!(database ?? env[DATABASE_URL_ENV])) return undefined;
  const location = teamStoreLocation({ dataDir, database }, env);
  return location.engine === 'postgres' ? { url: location.url, where: describeStoreLocation(location) } : undefined;
}

export function addDiagnosticsCommand(program: Command, cli: () => { dataDir: string }, exit: (code: number) => void): void {
  program
    .command('diagnostics')
    .description('write a zip for support: versions, settings without secrets, store statistics, recent jobs and logs, all redacted')
    .requiredOption('--out <file>', 'where to write the archive, e.g. outpost-diagnostics.zip')
    .option('--database <url>', `a team server's PostgreSQL store to summarise too, read-only (default: ${DATABASE_URL_ENV} when set)`)
    .action(async (opts: { out: string; database?: string }) => {
      const { dataDir } = cli();
      const postgres = diagnosticsDatabase(opts.database, dataDir);
      const { file, bytes, entries } = await exportDiagnostics(opts.out, { dataDir, appVersion: OUTPOST_VERSION, ...(postgres ? { postgres } : {}) });
      console.log(`Diagnostics written to ${file} (${bytes} bytes: ${entries.join(', ')}).`);
      // In words, never with a password; whether it could be read is in store.json's problems.
      if (postgres) console.log(`Store statistics include ${postgres.where} (anything it could not read is listed under "problems" in store.json).`);
      console.log('Secrets are redacted; read it before you send it if you like: it is a plain zip of text files.');
      exit(0);
    });
}
