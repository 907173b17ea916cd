// Team users on both engines (issue 16): the service over a SQLite file and over a PostgreSQL database,
// so what the database itself enforces — the folded name's UNIQUE, the single use of a link, the
// partial UNIQUE on live token labels, ON DELETE CASCADE, ISO-string comparisons — is shown to hold on
// each. The rules themselves (expiry, policy, errors) are test/unit/auth/users.test.ts, on SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { userNameKey } from '../../../electron/core/auth/names';
import { INVITE_TTL_MS, SESSION_IDLE_MS, UserService } from '../../../electron/core/auth/users';
import { Store } from '../../../electron/core/db/store';
import { ENGINES, storeLocation, type TestLocation } from '../../fixtures/engines';

const PASSWORD = 'tall ladder 42 orange';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutpostError) return err.code;
    throw err;
  }
  return 'ok';
}

describe.each(ENGINES)('team users on %s', (engine) => {
  let place: TestLocation;
  let store: Store;
  let now: number;
  let users: UserService;

  beforeEach(async () => {
    place = await storeLocation(engine);
    store = await Store.open(place.location);
    now = Date.parse('2026-11-29T10:00:00.000Z');
    users = new UserService(store, { now: () => now });
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  it('refuses a second user whose folded name is taken, in the service and in the database itself', async () => {
    const { user } = await users.addUser('Ana Lopez', 'operator');
    expect(await codeOf(users.addUser('ANA  lopez', 'support'))).toBe('conflict');
    // Past the service's check: the UNIQUE column refuses too (two server processes at once).
    const direct = store.users.insert({ id: 'usr_twin', name: 'ana lopez', nameKey: userNameKey('ana lopez'), role: 'support', at: new Date(now).toISOString() });
    await expect(direct).rejects.toThrow();
    expect((await users.listUsers()).map((u) => u.id)).toEqual([user.id]);
  });

  it('spends a link once, even for two requests at the same moment, and refuses it once expired', async () => {
    const { inviteUrlToken } = await users.addUser('ana', 'operator');
    const results = await Promise.allSettled([users.acceptInvite(inviteUrlToken, PASSWORD), users.acceptInvite(inviteUrlToken, `${PASSWORD} 2`)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const late = await users.addUser('bob', 'support');
    now += INVITE_TTL_MS;
    expect(await codeOf(users.acceptInvite(late.inviteUrlToken, PASSWORD))).toBe('unauthorized');
  });

  it('signs in, keeps a session to its idle limit, and ends it for a disabled user at once', async () => {
    const { inviteUrlToken } = await users.addUser('ana', 'payments');
    await users.acceptInvite(inviteUrlToken, PASSWORD);
    const { sessionToken } = await users.signIn('Ana', PASSWORD);
    const { token } = await users.issueApiToken({ name: 'ana' }, 'billing');
    expect((await users.authenticateSession(sessionToken)).principal).toMatchObject({ actor: 'ana', role: 'payments' });
    expect((await users.authenticateApiToken(token)).principal).toMatchObject({ actor: 'ana', role: 'payments' });
    now += SESSION_IDLE_MS - 1;
    await users.authenticateSession(sessionToken);
    await users.disableUser({ name: 'ana' });
    expect(await codeOf(users.authenticateSession(sessionToken))).toBe('unauthorized');
    expect(await codeOf(users.authenticateApiToken(token))).toBe('unauthorized');
  });

  it('allows one live token per label, frees the label when revoked, and removes everything with the user', async () => {
    await users.addUser('ana', 'operator');
    await users.issueApiToken({ name: 'ana' }, 'ci');
    expect(await codeOf(users.issueApiToken({ name: 'ana' }, 'ci'))).toBe('conflict');
    await users.revokeApiToken({ name: 'ana' }, 'ci');
    const again = await users.issueApiToken({ name: 'ana' }, 'ci');
    expect((await users.listApiTokens({ name: 'ana' })).map((t) => t.id)).toEqual([again.info.id]);
    await users.removeUser({ name: 'ana' });
    expect(await codeOf(users.authenticateApiToken(again.token))).toBe('unauthorized');
    for (const table of ['users', 'invites', 'sessions', 'api_tokens'] as const) {
      expect(await store.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }
  });

  it('lists users by folded name and prunes what has ended', async () => {
    for (const name of ['carol', 'Bob', 'ana']) await users.addUser(name, 'support');
    expect((await users.listUsers()).map((u) => u.name)).toEqual(['ana', 'Bob', 'carol']);
    now += INVITE_TTL_MS;
    expect(await users.prune()).toEqual({ sessions: 0, invites: 3 });
  });
});
