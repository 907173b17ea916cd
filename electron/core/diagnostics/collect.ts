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
import { summarizeStores } from './store-summary';
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

export async function collectDiagnostics(options: DiagnosticsOptions): Promise<DiagnosticEntries> {
  registerEnvSecrets(options.env ?? process.env);
  const { stores, jobs, problems } = await summarizeStores(options.dataDir, options.lastJobs ?? 20);
  const entries: DiagnosticEntries = {
    'versions.json': json({ ...collectVersions(options.appVersion, options.versions), exportedAt: (options.now?.() ?? new Date()).toISOString() }),
    'settings.json': json(readSettings(options.dataDir)),
    'store.json': json({ dataDir: options.dataDir, stores, problems }),
    'jobs.json': json(jobs),
    'logs/outpost.log': readRecentLogLines(options.dataDir, options.logBytes ?? 512 * 1024).map(redactLogLine).join('\n'),
  };
  for (const name of Object.keys(entries)) entries[name] = redactString(entries[name]!);
  return entries;
}
