// `Export diagnostics` / `outpost diagnostics`: one archive a support person can read, with no
// secret in it. Every entry passes through the same redaction as the logs, twice over: structured
// values through `redact` (secret-named keys masked), then the finished text through
// `redactString` (registered secrets, tskey-…, Bearer …, user:password@, secret=…). Values of
// secret-named environment variables are registered first, so a credential that ever reached a
// line verbatim (an old log, an error message) is masked too. The vault itself is never read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecentLogLines } from '../log-file';
import { isSecretKey, redact, redactString, registerSecret } from '../redact';
import { summarizeStores, type PostgresTarget, type StoreSummary } from './store-summary';
import { collectVersions } from './versions';

export interface DiagnosticsOptions {
  dataDir: string;
  appVersion: string;
  /** Default: process.versions (Electron adds electron and chrome). */
  versions?: NodeJS.ProcessVersions;
  env?: NodeJS.ProcessEnv;
  /** How many recent jobs, with their timelines. Default 20. */
  lastJobs?: number;
  /** How much of the newest log lines. Default 512 KiB. */
  logBytes?: number;
  now?: () => Date;
  /**
   * A team server's PostgreSQL store, read-only, besides the data directory's SQLite files. Only the
   * command passes it (--database or OUTPOST_DATABASE_URL); the desktop never has a database.
   */
  postgres?: PostgresTarget;
}

/** File name in the archive → its text. */
export type DiagnosticEntries = Record<string, string>;

const json = (value: unknown): string => `${JSON.stringify(redact(value), null, 2)}\n`;

/** Registers the values of secret-named environment variables (OUTPOST_HETZNER_TOKEN, …) for redaction. */
export function registerEnvSecrets(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(env)) if (value && isSecretKey(key)) registerSecret(value);
}

function readSettings(dataDir: string): unknown {
  const file = join(dataDir, 'settings.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { unreadable: err instanceof Error ? err.message : String(err) };
  }
}

/** A log line is JSON from the logger; anything else (a hand edit, a truncated write) is kept as text. */
function redactLogLine(line: string): string {
  try {
    return JSON.stringify(redact(JSON.parse(line)));
  } catch {
    return line;
  }
}

/**
 * store.json, redacted like every entry except the row counts: `redact` masks values under
 * secret-named keys, and a table name such as api_tokens is one, which would hide its count. A count
 * is a number and a table name comes from the store's own schema, so neither can carry a secret.
 */
function storeJson(dataDir: string, stores: StoreSummary[], problems: string[]): string {
  const redacted = redact({ dataDir, stores, problems }) as { stores?: unknown } | string;
  if (typeof redacted === 'object' && Array.isArray(redacted.stores)) {
    (redacted.stores as Record<string, unknown>[]).forEach((summary, i) => (summary.tables = { ...stores[i]!.tables }));
  }
  return `${JSON.stringify(redacted, null, 2)}\n`;
}

export async function collectDiagnostics(options: DiagnosticsOptions): Promise<DiagnosticEntries> {
  registerEnvSecrets(options.env ?? process.env);
  const { stores, jobs, problems } = await summarizeStores(options.dataDir, options.lastJobs ?? 20, options.postgres);
  const entries: DiagnosticEntries = {
    'versions.json': json({ ...collectVersions(options.appVersion, options.versions), exportedAt: (options.now?.() ?? new Date()).toISOString() }),
    'settings.json': json(readSettings(options.dataDir)),
    'store.json': storeJson(options.dataDir, stores, problems),
    'jobs.json': json(jobs),
    'logs/outpost.log': readRecentLogLines(options.dataDir, options.logBytes ?? 512 * 1024).map(redactLogLine).join('\n'),
  };
  for (const name of Object.keys(entries)) entries[name] = redactString(entries[name]!);
  return entries;
}
