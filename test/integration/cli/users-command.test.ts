// `outpost users …` as a team's administrator runs it on the server's host: the real command in a child
// process, against the SQLite store in --data-dir and against a PostgreSQL database (--database and
// OUTPOST_DATABASE_URL). What it prints is then used in process — the link signs a person in, the
// token authenticates — so the test shows the command wrote to the store a server reads.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserService } from '../../../electron/core/auth/users';
import type { StoreLocation } from '../../../electron/core/db/engine';
import { Store } from '../../../electron/core/db/store';
import { spawnOutpost, type Exit } from '../../fixtures/cli-process';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { tempDir } from '../../fixtures/temp-dir';

const PASSWORD = 'tall ladder 42 orange';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('outpost-users-cli-'));
});
afterEach(() => cleanup());

function outpost(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Exit> {
  return spawnOutpost(['--data-dir', dir, ...args], {
    // A sandbox data directory, whatever the machine running the tests has set (a test sets one back through extraEnv).
    without: ['OUTPOST_DATABASE_URL', 'OUTPOST_BASE_URL', 'OUTPOST_HETZNER_TOKEN', 'OUTPOST_TS_CLIENT_SECRET', 'OUTPOST_DATA_DIR'],
    env: { OUTPOST_LOG_LEVEL: 'error', ...extraEnv },
  }).exited;
}

/** The sandbox store the command opened in `dir` (no live credentials, no saved mode: sandbox). */
const sqlite = (): StoreLocation => ({ engine: 'sqlite', file: join(dir, 'sandbox.db') });

async function withService<T>(location: StoreLocation, fn: (users: UserService, store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(location);
  try {
    return await fn(new UserService(store), store);
  } finally {
    await store.close();
  }
}

describe('outpost users on the data directory\'s store', () => {
  it('add prints a one-time link with the token in its fragment; the link sets a password and signs in', async () => {
    const add = await outpost(['users', 'add', 'Ana Lopez', '--role', 'payments', '--base-url', 'https://outpost.example.com/']);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('SQLite store');
    expect(add.stdout).toContain('Added Ana Lopez (payments).');
    const token = /https:\/\/outpost\.example\.com\/invite#([A-Za-z0-9_-]{43})\n/.exec(add.stdout)?.[1];
    expect(token, add.stdout).toBeDefined();
    await withService(sqlite(), async (users, store) => {
      await users.acceptInvite(token!, PASSWORD);
      const session = await users.authenticateSession((await users.signIn('ana lopez', PASSWORD)).sessionToken);
      expect(session.principal).toMatchObject({ actor: 'Ana Lopez', role: 'payments' });
      const [entry] = await store.audit.list({ action: 'users:add' });
      expect(entry).toMatchObject({ actor: expect.stringMatching(/ \(command line\)$/), role: 'operator', targetName: 'Ana Lopez', outcome: 'ok' });
      expect(JSON.stringify(entry)).not.toContain(token!);
    });
    const again = await outpost(['users', 'invite', 'ana lopez']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/\n {2}\/invite#[A-Za-z0-9_-]{43}\n/);
    expect(again.stdout).toContain('--base-url');
  });

  it('list shows role and status, never a hash; token prints a bearer token once; disable stops it at once', async () => {
    expect((await outpost(['users', 'add', 'ana', '--role', 'operator'])).code).toBe(0);
    expect((await outpost(['users', 'add', 'bob', '--role', 'support'])).code).toBe(0);
    const list = await outpost(['users', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/NAME\s+ROLE\s+STATUS\s+CREATED\nana\s+operator\s+invited\s+\d{4}-\d\d-\d\d\nbob\s+support\s+invited/);
    const json = await outpost(['users', 'list', '--json']);
    expect(JSON.parse(json.stdout).map((u: { name: string; status: string }) => [u.name, u.status])).toEqual([
      ['ana', 'invited'],
      ['bob', 'invited'],
    ]);
    expect(json.stdout).not.toMatch(/scrypt|password/i);

    const issued = await outpost(['users', 'token', 'ana', '--label', 'billing sync']);
    expect(issued.code, issued.stderr).toBe(0);
    const token = /\n {2}(outpost_pat_[A-Za-z0-9_-]{43})\n/.exec(issued.stdout)?.[1];
    expect(token, issued.stdout).toBeDefined();
    await withService(sqlite(), async (users) => expect((await users.authenticateApiToken(token!)).principal.actor).toBe('ana'));
    const twice = await outpost(['users', 'token', 'ana', '--label', 'billing sync']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('label: the user already has a token with this label.');

    const disable = await outpost(['users', 'disable', 'ANA']);
    expect(disable.code, disable.stderr).toBe(0);
    expect(disable.stdout).toContain('Disabled ana');
    await withService(sqlite(), async (users) => {
      await expect(users.authenticateApiToken(token!)).rejects.toMatchObject({ code: 'unauthorized' });
      expect((await users.listUsers()).map((u) => u.status)).toEqual(['disabled', 'invited']);
    });
    expect((await outpost(['users', 'enable', 'ana'])).code).toBe(0);
    expect((await outpost(['users', 'revoke-token', 'ana', '--label', 'billing sync'])).stderr).toContain('no live token with this label');
  });

  it('refuses a hostile name, a taken name, an unknown role and a bad base URL, quoting nothing raw', async () => {
    const hostile = await outpost(['users', 'add', 'ana\u001b[2J\nroot', '--role', 'operator']);
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('name: contains an invisible or control character (U+001B).');
    expect(hostile.stderr + hostile.stdout).not.toContain('\u001b[2J');
    expect((await outpost(['users', 'add', 'ana', '--role', 'operator'])).code).toBe(0);
    const taken = await outpost(['users', 'add', 'ANA', '--role', 'support']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('name: another user already has this name');
    const role = await outpost(['users', 'add', 'carol', '--role', 'admin']);
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/Allowed choices are operator, support, payments/);
    const base = await outpost(['users', 'add', 'carol', '--role', 'operator', '--base-url', 'https://carol:hunter2@example.com']);
    expect(base.code).toBe(1);
    expect(base.stderr).toContain('base-url: must not carry a user name or password');
    expect(base.stderr).not.toContain('hunter2');
    const missing = await outpost(['users', 'disable', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no such user.');
    await withService(sqlite(), async (users) => expect((await users.listUsers()).map((u) => u.name)).toEqual(['ana']));
  });

  it('refuses a database URL that is not PostgreSQL without printing it', async () => {
    const run = await outpost(['users', 'list', '--database', 'mysql://root:hunter2@db.example.com/outpost']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('database: must be a PostgreSQL URL');
    expect(run.stderr + run.stdout).not.toContain('hunter2');
  });
});

describe('outpost users on a PostgreSQL database', () => {
  let place: TestLocation;
  beforeEach(async () => {
    place = await storeLocation('postgres');
  });
  afterEach(async () => place.cleanup());

  it('adds with --database, lists with OUTPOST_DATABASE_URL, and the server-side service sees the same users', async () => {
    const url = (place.location as { url: string }).url;
    const add = await outpost(['users', 'add', 'ana', '--role', 'support', '--database', url, '--json']);
    expect(add.code, add.stderr).toBe(0);
    const { inviteToken, user } = JSON.parse(add.stdout) as { inviteToken: string; user: { name: string; role: string } };
    expect(user).toMatchObject({ name: 'ana', role: 'support' });
    const list = await outpost(['users', 'list'], { OUTPOST_DATABASE_URL: url });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('PostgreSQL database');
    expect(list.stdout).toMatch(/\nana\s+support\s+invited/);
    await withService(place.location, async (users) => {
      await users.acceptInvite(inviteToken, PASSWORD);
      await expect(users.signIn('ana', PASSWORD)).resolves.toBeTruthy();
    });
    // Nothing went to the data directory's SQLite store.
    await withService(sqlite(), async (users) => expect(await users.listUsers()).toEqual([]));
  });
});
