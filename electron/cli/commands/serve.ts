// `outpost serve`: the team server (issue 16) — the panel, its API and the payments webhook for a
// whole team, with users and roles (`outpost users`), on PostgreSQL (--database or
// OUTPOST_DATABASE_URL) or, for one process, the data directory's SQLite store.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DATABASE_URL_ENV, describeStoreLocation, teamStoreLocation } from '../../boot/team-store';
import { startRuntime, storeFile, type Mode, type Runtime, type RuntimeOptions } from '../../boot/runtime';
import { OUTPOST_VERSION } from '../../boot/version';
import { UserService } from '../../core/auth/users';
import { createLogger, registerSecret } from '../../core/log';
import { createPaymentWebhook } from '../../core/payments/webhook/receive';
import { webhookSecretsFrom } from '../../core/payments/webhook/secret';
import { systemClock } from '../../core/ports';
import { SseHub } from '../../server/sse';
import { planListen } from '../../server/team/listen-plan';
import { startTeamServer, type RunningTeamServer } from '../../server/team/team-server';
import { WEBHOOK_SECRET_ENV } from '../../../shared/webhook';
import { BASE_URL_ENV } from './users';
import { DEFAULT_RENDERER_DIR } from './web';

export const DEFAULT_SERVE_PORT = 8443;

export interface ServeOptions {
  dataDir: string;
  mode?: Mode | undefined;
  host: string;
  port: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  trustProxy?: string[] | undefined;
  /** Default: OUTPOST_BASE_URL (the variable `outpost users` reads for its links). */
  publicUrl?: string | undefined;
  /** Default: OUTPOST_DATABASE_URL, else the SQLite store in the data directory. */
  database?: string | undefined;
  rendererDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Passed through to the runtime (tests shorten the sandbox's delays). */
  runtime?: Omit<RuntimeOptions, 'dataDir' | 'events' | 'mode' | 'storeLocation'>;
}

/**
 * Starts the team server. Everything that can be wrong with the options (TLS files, plain HTTP off
 * loopback, no --trust-proxy, a bad URL, a short webhook secret) is refused before the runtime starts.
 */
export async function runServe(options: ServeOptions): Promise<{ runtime: Runtime; server: RunningTeamServer; store: string }> {
  const env = options.env ?? process.env;
  const plan = planListen({
    host: options.host,
    port: options.port,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
    trustProxy: options.trustProxy,
    publicUrl: options.publicUrl ?? env[BASE_URL_ENV],
  });
  const location = teamStoreLocation({ dataDir: options.dataDir, mode: options.mode, database: options.database }, env);
  // A database password must never reach a log line, whatever a driver error quotes.
  if (location.engine === 'postgres') {
    const password = decodeURIComponent(new URL(location.url).password);
    if (password) registerSecret(password);
  }
  const webhookSecrets = webhookSecretsFrom(env);
  const hub = new SseHub();
  const log = options.runtime?.log ?? createLogger({ name: 'outpost', level: (env.OUTPOST_LOG_LEVEL as never) ?? 'info', file: { dir: options.dataDir } });
  const clock = options.runtime?.clock ?? systemClock;
  const runtime = await startRuntime({
    ...options.runtime,
    log,
    dataDir: options.dataDir,
    events: hub,
    mode: options.mode,
    // SQLite: the runtime's own choice of file for the mode, the same one teamStoreLocation names.
    ...(location.engine === 'postgres' ? { storeLocation: location } : {}),
  });
  try {
    const webhook = webhookSecrets ? createPaymentWebhook({ store: runtime.store, handlers: runtime.handlers, clock, secrets: webhookSecrets, log }) : undefined;
    const server = await startTeamServer({
      handlers: runtime.handlers,
      hub,
      users: new UserService(runtime.store, clock),
      plan,
      rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
      log,
      clock,
      ...(webhook ? { webhook } : {}),
    });
    // In words, never with a password: `PostgreSQL database outpost on db.internal:5432`.
    const store = describeStoreLocation(location.engine === 'postgres' ? location : { engine: 'sqlite', file: storeFile(runtime.dataDir, runtime.mode) });
    return { runtime, server, store };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addServeCommand(program: Command, cli: () => { dataDir: string; mode?: Mode | undefined }): void {
  program
    .command('serve')
    .description('serve the panel to a team over HTTPS, with users and roles (see `outpost users`)')
    .option('--host <address>', 'address to listen on (0.0.0.0: every interface; plain HTTP only on loopback)', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on').default(DEFAULT_SERVE_PORT).argParser(port))
    .option('--tls-cert <file>', 'PEM certificate (chain) for HTTPS')
    .option('--tls-key <file>', 'PEM private key of the certificate')
    .option('--trust-proxy <list>', 'reverse proxies whose X-Forwarded-For/-Proto are believed: IPs or CIDRs, comma-separated, or "loopback" (required for plain HTTP)', collect)
    .option('--public-url <url>', `the https:// address people open (Origin checks, sign-in links; default: ${BASE_URL_ENV})`)
    .option('--database <url>', `the team's PostgreSQL database (default: ${DATABASE_URL_ENV}, else the SQLite store in --data-dir, for one process)`)
    .action(async (opts: { host: string; port: number; tlsCert?: string; tlsKey?: string; trustProxy?: string[]; publicUrl?: string; database?: string }) => {
      const { runtime, server, store } = await runServe({ ...cli(), ...opts });
      console.log(`Outpost ${OUTPOST_VERSION} (${runtime.mode}) team server; store: ${store}.`);
      console.log(`Open ${server.url}  (listening on ${server.listening})`);
      if (server.webhookUrl) console.log(`Payments webhook: POST ${server.webhookUrl} (signed with ${WEBHOOK_SECRET_ENV}).`);
      const users = new UserService(runtime.store);
      if ((await users.listUsers()).length === 0) console.log(`No users yet: add the first operator with \`outpost users add NAME --role operator --base-url ${server.url.replace(/\/$/, '')}\`.`);
      console.log('Stop with Ctrl+C (or SIGTERM).');
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.close();
        await runtime.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535.');
  return n;
}
