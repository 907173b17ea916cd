// `outpost export` and `outpost import` as the real command in a child process: a desktop's data
// directory exported to a file, imported into a PostgreSQL database named by --database and by
// OUTPOST_DATABASE_URL (and into another data directory's SQLite store); what each refuses, and the
// database password never printed, on success or failure.
import { spawn } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/core/db/store';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { tempDir } from '../../fixtures/temp-dir';

const BIN = fileURLToPath(new URL('../../../bin/outpost.mjs', import.meta.url));
const PASSWORD = 'pg-canary-Zq81xv';
const AT = '2026-03-01T10:00:00.000Z';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function outpost(dataDir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, OUTPOST_LOG_LEVEL: 'error', ...extraEnv };
  // A sandbox data directory and no database, whatever the machine running the tests has set.
  for (const name of ['OUTPOST_DATABASE_URL', 'OUTPOST_HETZNER_TOKEN', 'OUTPOST_TS_CLIENT_SECRET', 'OUTPOST_DATA_DIR']) {
    if (!(name in extraEnv)) delete env[name];
  }
  const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const noPassword = (run: Run) => expect(run.stdout + run.stderr).not.toContain(PASSWORD);

let desktop: { dir: string; cleanup: () => void };
let work: { dir: string; cleanup: () => void };
let database: TestLocation;
let url: string;

beforeAll(async () => {
  desktop = tempDir('outpost-export-cli-');
  work = tempDir('outpost-import-cli-');
  // The desktop's sandbox store: a VM from a payment, its job and the audit entry.
  const store = await Store.open(join(desktop.dir, 'sandbox.db'));
  try {
    await store.payments.insertIfNew({ id: 'pay_cli000000001', reference: 'INV-CLI-1', customer: 'ACME', contact: null, amountCents: 990, currency: 'EUR', plan: 'cx22', region: 'fsn1', note: null, recordedAt: AT });
    await store.agents.insert({ id: 'agt_cli000000001', name: 'acme', customer: 'ACME', at: AT });
    await store.jobs.insert({ id: 'job_cli000000001', kind: 'provision', instanceId: 'ins_cli000000001', paymentId: 'pay_cli000000001', params: {}, at: AT });
    await store.jobs.update('job_cli000000001', { status: 'succeeded', finishedAt: AT }, AT);
    await store.instances.insert({ id: 'ins_cli000000001', name: 'acme-01', agentId: 'agt_cli000000001', jobId: 'job_cli000000001', region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: 'acme-01', monthlyPriceGross: null, at: AT });
    await store.instances.update('ins_cli000000001', { status: 'running', serverId: 4_200_001 }, AT);
    await store.payments.update('pay_cli000000001', { status: 'fulfilled', jobId: 'job_cli000000001', instanceId: 'ins_cli000000001', enrolledAt: AT });
    await store.audit.append({ at: AT, actor: 'me', role: 'operator', action: 'payments:record', target: 'pay_cli000000001', targetName: 'ACME', outcome: 'ok', detail: {} });
  } finally {
    await store.close();
  }
  database = await storeLocation('postgres');
  const withPassword = new URL((database.location as { url: string }).url);
  withPassword.password = PASSWORD; // the test cluster trusts local connections: any password opens it
  url = withPassword.toString();
});

afterAll(async () => {
  await database?.cleanup();
  desktop?.cleanup();
  work?.cleanup();
});

describe('outpost export', () => {
  it('writes the data directory\'s store to an owner-only file, never over one, never while an Outpost runs on it', async () => {
    const file = join(work.dir, 'desktop.export');
    const run = await outpost(desktop.dir, ['export', '--out', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Exported the sandbox store');
    expect(run.stdout).toContain('1 agent, 1 payment, 1 job (0 events), 1 VM, 1 audit entry, 0 webhook deliveries.');
    expect(run.stdout).toContain(`outpost import ${file} --database URL`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await outpost(desktop.dir, ['export', '--out', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    // An Outpost running on the data directory (this test process holds its lock).
    writeFileSync(join(desktop.dir, 'outpost.lock'), String(process.pid));
    try {
      const locked = await outpost(desktop.dir, ['export', '--out', join(work.dir, 'other.export')]);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain(`Another Outpost (pid ${process.pid})`);
      expect(() => statSync(join(work.dir, 'other.export'))).toThrow();
    } finally {
      rmSync(join(desktop.dir, 'outpost.lock'));
    }

    const none = await outpost(desktop.dir, ['export', '--out', join(work.dir, 'live.export'), '--mode', 'live']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no live store in');
  });
});

describe('outpost import', () => {
  const file = () => join(work.dir, 'desktop.export');

  it('needs a target: never a default store', async () => {
    const run = await outpost(work.dir, ['import', file()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Name the team\'s database');
  });

  it('imports into --database, prints the counts without the password; OUTPOST_DATABASE_URL a second time is refused', async () => {
    const run = await outpost(work.dir, ['import', file(), '--database', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Importing into PostgreSQL database outpost_\w+ on 127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain('Imported the sandbox store');
    expect(run.stdout).toContain('1 agent, 1 payment, 1 job (0 events), 1 VM, 1 audit entry, 0 webhook deliveries.');
    noPassword(run);
    const store = await Store.open(database.location);
    try {
      expect(await store.instances.liveByName('acme-01')).toMatchObject({ id: 'ins_cli000000001', serverId: 4_200_001, customer: 'ACME' });
      expect(await store.audit.list({ action: 'store:import' })).toEqual([expect.objectContaining({ actor: expect.stringMatching(/ \(command line\)$/), role: 'operator' })]);
    } finally {
      await store.close();
    }

    const again = await outpost(work.dir, ['import', file(), '--json'], { OUTPOST_DATABASE_URL: url });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already imported');
    noPassword(again);
  });

  it('a database it cannot reach fails without the password', async () => {
    const unreachable = new URL(url);
    unreachable.port = '1';
    const run = await outpost(work.dir, ['import', file(), '--database', unreachable.toString()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot open the PostgreSQL store');
    noPassword(run);
  });

  it('--into-data-dir imports into that data directory\'s SQLite store (JSON output)', async () => {
    const into = join(work.dir, 'team-data');
    const run = await outpost(work.dir, ['import', file(), '--into-data-dir', into, '--json'], { OUTPOST_DATABASE_URL: url });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ into: expect.stringContaining('SQLite store'), counts: { agents: 1, instances: 1, jobs: 1 }, merged: [] });
    const store = await Store.open(join(into, 'sandbox.db'));
    try {
      expect(await store.payments.byReference('INV-CLI-1')).toMatchObject({ id: 'pay_cli000000001', instanceId: 'ins_cli000000001' });
    } finally {
      await store.close();
    }
  });
});
