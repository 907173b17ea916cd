// `outpost serve` as a team runs it: the real command in a child process, HTTPS from certificate files,
// on a PostgreSQL database named by OUTPOST_DATABASE_URL (with a password in the URL, which must never
// be printed). A browser signs in and calls; a script calls with an API token; the change lands in the
// database under the user's name; SIGTERM stops the server cleanly (exit 0, port closed).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../../electron/core/auth/users';
import { Store } from '../../../electron/core/db/store';
import { startSimulator } from '../../../electron/sim';
import { liveEnv, spawnOutpost, type OutpostProcess } from '../../fixtures/cli-process';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { endpointsOf, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { pollUntil } from '../../fixtures/wait-until';
import { TeamClient } from '../../fixtures/team-client';
import { tempDir } from '../../fixtures/temp-dir';
import { selfSignedCertificate, type TestCertificate } from '../../fixtures/tls';

const PASSWORD = 'Correct horse 42 battery';
/** The database password put into the URL: the cluster trusts local connections, so it is never checked, only carried. */
const DB_PASSWORD = 'pg-Secret-in-url-7731';
const WEBHOOK_SECRET = 'whsec-serve-command-test-0123456789abcdef';

let tmp: { dir: string; cleanup: () => void };
let database: TestLocation;
let databaseUrl: string;
let cert: TestCertificate;
let apiToken: string;

beforeAll(async () => {
  tmp = tempDir('outpost-serve-cli-');
  cert = selfSignedCertificate(tmp.dir);
  database = await storeLocation('postgres');
  if (database.location.engine !== 'postgres') throw new Error('expected a PostgreSQL location');
  const url = new URL(database.location.url);
  url.password = DB_PASSWORD;
  databaseUrl = url.toString();
  const store = await Store.open(database.location);
  try {
    const users = new UserService(store);
    const { inviteUrlToken } = await users.addUser('Ana', 'operator');
    await users.acceptInvite(inviteUrlToken, PASSWORD);
    apiToken = (await users.issueApiToken({ name: 'Ana' }, 'serve test')).token;
  } finally {
    await store.close();
  }
});

afterAll(async () => {
  await database?.cleanup();
  tmp?.cleanup();
});

interface Served extends OutpostProcess {
  url: string;
}

function serve(mode: 'sandbox' | 'live', extraEnv: NodeJS.ProcessEnv = {}): Promise<Served> {
  const args = ['--data-dir', join(tmp.dir, `data-${mode}`), '--mode', mode, 'serve', '--host', '127.0.0.1', '--port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile];
  const proc = spawnOutpost(args, {
    // Not the runner's own: a token or secret set there must not be what the server runs with (or prints).
    without: ['OUTPOST_BASE_URL', 'OUTPOST_HETZNER_TOKEN', 'OUTPOST_TS_CLIENT_SECRET', 'OUTPOST_DATA_DIR'],
    env: { OUTPOST_LOG_LEVEL: 'info', OUTPOST_SIM_TIME_SCALE: '0.01', OUTPOST_DATABASE_URL: databaseUrl, OUTPOST_WEBHOOK_SECRET: WEBHOOK_SECRET, ...extraEnv },
  });
  const { child, output, exited } = proc;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`outpost serve did not print its URL in time:\n${output()}`)), 45_000);
    const look = () => {
      const url = /^Open (https:\/\/\S+\/) /m.exec(output())?.[1];
      if (url && output().includes('Stop with Ctrl+C')) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve({ ...proc, url });
      }
    };
    child.stdout!.on('data', look);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`outpost serve exited (${code}) before serving:\n${output()}`));
    });
  });
}

describe('outpost serve', () => {
  it('serves HTTPS on PostgreSQL: sign-in, a call as the user, an API token; stops on SIGTERM', async () => {
    const served = await serve('sandbox');
    try {
      expect(served.output()).toContain('team server; store: PostgreSQL database');
      expect(served.output()).toMatch(/Payments webhook: POST https:\/\/127\.0\.0\.1:\d+\/webhooks\/payments/);
      const client = new TeamClient(new URL(served.url), cert.cert);
      const ana = await client.signIn('Ana', PASSWORD);
      const info = await client.rpc(ana, 'app:info');
      expect(info.json).toMatchObject({ ok: true, data: { name: 'Outpost', mode: 'sandbox', role: 'operator', transport: 'http' } });
      expect((await client.rpc(ana, 'settings:update', { sshKeys: [] })).json).toMatchObject({ ok: true });
      const byToken = await client.rpcWithToken(apiToken, 'jobs:list', { limit: 5 });
      expect(byToken.status).toBe(200);
      expect(byToken.json).toMatchObject({ ok: true });
      // The server wrote to the team's database, as Ana.
      const store = await Store.open(database.location);
      try {
        const [entry] = await store.audit.list({ action: 'settings:update', limit: 1 });
        expect(entry).toMatchObject({ actor: 'Ana', role: 'operator', outcome: 'ok' });
      } finally {
        await store.close();
      }
    } finally {
      served.child.kill('SIGTERM');
    }
    const { code, signal } = await served.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(served.output()).not.toContain(DB_PASSWORD);
    expect(served.output()).not.toContain(WEBHOOK_SECRET);
    const client = new TeamClient(new URL(served.url), cert.cert);
    await expect(client.send('auth/session')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('provisions in live mode against a (simulated) cloud when a script asks with its API token', async () => {
    const sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 5 });
    const served = await serve('live', liveEnv(endpointsOf(sim)));
    try {
      const client = new TeamClient(new URL(served.url), cert.cert);
      const started = await client.rpcWithToken(apiToken, 'provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'served' });
      expect(started.json, started.body).toMatchObject({ ok: true });
      const { jobId } = started.json!.data as { jobId: string };
      let status = '';
      await pollUntil(
        async () => {
          status = ((await client.rpcWithToken(apiToken, 'jobs:get', { jobId })).json!.data as { job: { status: string } }).job.status;
          return status === 'succeeded' || status === 'failed';
        },
        30_000,
        100,
      );
      expect(status).toBe('succeeded');
    } finally {
      served.child.kill('SIGTERM');
      expect((await served.exited).code).toBe(0);
      await sim.close();
    }
  });

  it('refuses to start on plain HTTP off loopback, saying what to pass', async () => {
    const run = spawnOutpost(['--data-dir', join(tmp.dir, 'refused'), '--mode', 'sandbox', 'serve', '--host', '0.0.0.0', '--port', '0'], { env: { OUTPOST_DATABASE_URL: databaseUrl } });
    const { code } = await run.exited;
    const out = run.output();
    expect(code).toBe(1);
    expect(out).toContain('Plain HTTP on 0.0.0.0 is refused');
    expect(out).toContain('--tls-cert FILE --tls-key FILE');
    expect(out).not.toContain(DB_PASSWORD);
  });
});
