// Which store a team server and its administration commands use (issue 16): a PostgreSQL database named
// by `--database <url>` or OUTPOST_DATABASE_URL, else the SQLite file the runtime would open in the data
// directory for its mode. `outpost users` and `outpost serve` call this one function, so a user added
// at the command line is in the store the server reads.
import { OutpostError } from '../../shared/errors';
import type { StoreLocation } from '../core/db/engine';
import { endpointsFromEnv } from './clouds-for-mode';
import { confSettings } from './conf-settings';
import { chooseMode, readEnvCredentials } from './live-access';
import { storeFile, type Mode } from './runtime';

export const DATABASE_URL_ENV = 'OUTPOST_DATABASE_URL';

export interface TeamStoreOptions {
  dataDir: string;
  mode?: Mode | undefined;
  /** A postgres:// URL (the option); the environment's OUTPOST_DATABASE_URL otherwise. */
  database?: string | undefined;
}

/**
 * The store's location. A database URL that is not postgres:// or postgresql:// is refused
 * (invalid_input naming `database`) without quoting it: it may hold a password.
 */
export function teamStoreLocation(options: TeamStoreOptions, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = options.database ?? env[DATABASE_URL_ENV];
  if (url) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // refused below
    }
    if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
      throw new OutpostError('invalid_input', `database: must be a PostgreSQL URL (postgres://user@host:5432/dbname).`, {
        hint: `Check --database or ${DATABASE_URL_ENV}. Prefer the variable (or a password in ~/.pgpass): a command line is visible to other users of the host.`,
      });
    }
    return { engine: 'postgres', url };
  }
  const mode = chooseMode(options.mode, confSettings(options.dataDir), readEnvCredentials(() => endpointsFromEnv(env))).mode;
  return { engine: 'sqlite', file: storeFile(options.dataDir, mode) };
}

/** The location in words for a person, never a password: `PostgreSQL database outpost on db.internal:5432`. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.engine === 'sqlite') return `SQLite store ${location.file}`;
  const url = new URL(location.url);
  const database = url.pathname.replace(/^\//, '') || '(default)'; // percent-encoded as given: nothing raw reaches the terminal
  return `PostgreSQL database ${database} on ${url.hostname || 'the local socket'}${url.port ? `:${url.port}` : ''}`;
}
