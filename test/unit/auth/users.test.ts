import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import type * as passwords from '../../../electron/core/auth/passwords';
import { hashPassword } from '../../../electron/core/auth/passwords';
import { hashSecret } from '../../../electron/core/auth/tokens';
import { INVITE_TTL_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, UserService } from '../../../electron/core/auth/users';
import { Store } from '../../../electron/core/db/store';
import { tempDir } from '../../fixtures/temp-dir';

// Counts password verifications, to show a sign-in for an unknown name does the same work as one for a
// known name (no timing oracle), without measuring time on a shared machine.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../electron/core/auth/passwords', async (importOriginal) => {
  const actual = await importOriginal<typeof passwords>();
  return {
    ...actual,
    verifyPassword: (password: string, encoded: string) => {
      verifications.count++;
      return actual.verifyPassword(password, encoded);
    },
  };
});

const PASSWORD = 'tall ladder 42 orange';

async function refusal(p: Promise<unknown>): Promise<OutpostError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OutpostError);
    return err as OutpostError;
  }
  throw new Error('expected a refusal');
}

describe('team users', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let now: number;
  let users: UserService;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    store = await Store.open(join(dir, 'outpost.db'));
    now = Date.parse('2026-11-29T10:00:00.000Z');
    users = new UserService(store, { now: () => now });
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  /** Adds a user and sets their password through the link, as a new colleague would. */
  async function activeUser(name: string, role: 'operator' | 'support' | 'payments' = 'operator') {
    const { inviteUrlToken } = await users.addUser(name, role);
    await users.acceptInvite(inviteUrlToken, PASSWORD);
    return users.getUser({ name });
  }

  /** Every value in the four auth tables, as the database file or a pg_dump would show them. */
  function everyStoredValue(): string[] {
    const db = store.sqlite!;
    return ['users', 'invites', 'sessions', 'api_tokens'].flatMap((table) =>
      (db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]).flatMap((row) => Object.values(row).map(String)),
    );
  }

  describe('adding a user and the one-time sign-in link', () => {
    it('adds an invited user with a fixed role and a link valid for 24 hours', async () => {
      const { user, inviteUrlToken, inviteExpiresAt } = await users.addUser('Ana Lopez', 'payments');
      expect(user).toMatchObject({ name: 'Ana Lopez', role: 'payments', status: 'invited', disabledAt: null });
      expect(user.id).toMatch(/^usr_/);
      expect(inviteUrlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(inviteExpiresAt) - now).toBe(INVITE_TTL_MS);
      expect(INVITE_TTL_MS).toBe(24 * 3_600_000);
    });

    it('a link works once: the second use is refused and the first password stays', async () => {
      const { inviteUrlToken } = await users.addUser('ana', 'operator');
      const { user } = await users.acceptInvite(inviteUrlToken, PASSWORD);
      expect(user.status).toBe('active');
      const again = await refusal(users.acceptInvite(inviteUrlToken, 'another good password 9'));
      expect(again.code).toBe('unauthorized');
      await expect(users.signIn('ana', PASSWORD)).resolves.toMatchObject({ user: { name: 'ana' } });
      expect((await refusal(users.signIn('ana', 'another good password 9'))).code).toBe('unauthorized');
    });

    it('of two requests with one link at the same moment, exactly one sets the password', async () => {
      const { inviteUrlToken } = await users.addUser('ana', 'operator');
      const results = await Promise.allSettled([users.acceptInvite(inviteUrlToken, 'first password 111'), users.acceptInvite(inviteUrlToken, 'second password 222')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = results[0]!.status === 'fulfilled' ? 'first password 111' : 'second password 222';
      await expect(users.signIn('ana', winner)).resolves.toBeTruthy();
    });

    it('refuses an expired link, and a mistyped or made-up one, the same way', async () => {
      const { inviteUrlToken } = await users.addUser('ana', 'operator');
      now += INVITE_TTL_MS;
      const expired = await refusal(users.acceptInvite(inviteUrlToken, PASSWORD));
      expect(expired.code).toBe('unauthorized');
      expect(expired.message).toMatch(/cannot be used/);
      for (const other of [inviteUrlToken.slice(0, -1) + (inviteUrlToken.endsWith('A') ? 'B' : 'A'), 'nonsense', '']) {
        const err = await refusal(users.acceptInvite(other, PASSWORD));
        expect(err.toBody()).toEqual(expired.toBody());
      }
      expect((await users.getUser({ name: 'ana' })).status).toBe('invited');
    });

    it('a weak password is refused with the rule and leaves the link usable', async () => {
      const { inviteUrlToken } = await users.addUser('ana', 'operator');
      const weak = await refusal(users.acceptInvite(inviteUrlToken, 'short'));
      expect(weak.code).toBe('invalid_input');
      expect(weak.message).toMatch(/^password: .*at least 12 characters, not all of one kind/);
      expect((await refusal(users.acceptInvite(inviteUrlToken, 'ana'.padEnd(12, 'a')))).code).toBe('invalid_input');
      await expect(users.acceptInvite(inviteUrlToken, PASSWORD)).resolves.toBeTruthy();
    });

    it('a new link replaces the old one, and using it resets the password and ends every session', async () => {
      await activeUser('ana');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      const first = await users.newInvite({ name: 'ana' });
      const second = await users.newInvite({ name: 'ana' });
      expect((await refusal(users.acceptInvite(first.inviteUrlToken, 'new password 2026'))).code).toBe('unauthorized');
      await users.acceptInvite(second.inviteUrlToken, 'new password 2026');
      expect((await refusal(users.authenticateSession(sessionToken))).code).toBe('unauthorized');
      expect((await refusal(users.signIn('ana', PASSWORD))).code).toBe('unauthorized');
      await expect(users.signIn('ana', 'new password 2026')).resolves.toBeTruthy();
    });

    it('refuses an unknown role, naming the field', async () => {
      const err = await refusal(users.addUser('ana', 'admin' as never));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(/^role: must be one of operator, support, payments/);
    });
  });

  describe('names', () => {
    it('are stored trimmed and in NFC', async () => {
      const { user } = await users.addUser('  Jose\u0301 Garci\u0301a ', 'support');
      expect(user.name).toBe('Jos\u00e9 Garc\u00eda');
      await expect(users.getUser({ name: 'JOS\u00c9 garc\u00eda' })).resolves.toMatchObject({ id: user.id });
    });

    it('are unique ignoring case, compatibility forms and repeated spaces', async () => {
      await users.addUser('Ana Lopez', 'operator');
      for (const twin of ['ana lopez', 'ANA LOPEZ', 'Ana  Lopez', '\uff21\uff4e\uff41 Lopez', 'Ana\u00a0Lopez']) {
        const err = await refusal(users.addUser(twin, 'support'));
        expect(err.code).toBe('conflict');
        expect(err.message).toMatch(/^name: another user already has this name/);
      }
      expect(await users.listUsers()).toHaveLength(1);
    });

    it('refuse control, format and separator characters, by code point and without echoing the name', async () => {
      const hostile = [
        ['ana\nroot', 'U+000A'],
        ['ana\r', 'U+000D'],
        ['\u001b[31mana', 'U+001B'],
        ['ana\u0007', 'U+0007'],
        ['alice\u202enimda', 'U+202E'], // right-to-left override: reads as "aliceadmin"
        ['ana\u2066x\u2069', 'U+2066'],
        ['an\u200ba', 'U+200B'], // zero-width space: a twin of "ana"
        ['ana\u200d', 'U+200D'],
        ['\ufeffana', 'U+FEFF'],
        ['ana\u2028bob', 'U+2028'],
        ['ana\u2029', 'U+2029'],
        ['ana\u0085', 'U+0085'],
        ['ana\ud800', 'U+D800'], // a lone surrogate
        ['ana\ue000', 'U+E000'], // private use
        ['ana\u061c', 'U+061C'], // Arabic letter mark
      ] as const;
      for (const [name, codePoint] of hostile) {
        const err = await refusal(users.addUser(name, 'operator'));
        expect(err.code).toBe('invalid_input');
        expect(err.message).toBe(`name: contains an invisible or control character (${codePoint}).`);
      }
      expect(await users.listUsers()).toEqual([]);
    });

    it('refuse an empty or over-long name, counting characters not UTF-16 units', async () => {
      expect((await refusal(users.addUser('   ', 'operator'))).message).toMatch(/^name: is empty/);
      expect((await refusal(users.addUser('a'.repeat(65), 'operator'))).message).toMatch(/^name: has 65 characters; at most 64/);
      await expect(users.addUser('\u{1F680}'.repeat(64), 'operator')).resolves.toBeTruthy();
    });
  });

  describe('signing in', () => {
    it('gives a session and a CSRF token; the session names the user as principal', async () => {
      const ana = await activeUser('Ana', 'support');
      const signedIn = await users.signIn('ana', PASSWORD);
      expect(signedIn.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(signedIn.csrfToken).not.toBe(signedIn.sessionToken);
      expect(Date.parse(signedIn.expiresAt) - now).toBe(SESSION_ABSOLUTE_MS);
      const session = await users.authenticateSession(signedIn.sessionToken);
      expect(session.principal).toEqual({ actor: 'Ana', role: 'support', userId: ana.id });
      expect(session.csrfToken).toBe(signedIn.csrfToken);
      expect(() => users.checkCsrf(session, signedIn.csrfToken)).not.toThrow();
      for (const wrong of [undefined, '', signedIn.sessionToken, signedIn.csrfToken.slice(1), 'x'.repeat(10_000)]) {
        expect(() => users.checkCsrf(session, wrong)).toThrow(expect.objectContaining({ code: 'forbidden' }));
      }
    });

    it('answers an unknown name, a wrong password and a user without a password alike, after the same work', async () => {
      await activeUser('ana');
      await users.addUser('invited-only', 'operator');
      const answers: unknown[] = [];
      for (const [name, password] of [
        ['ana', 'wrong password 123'],
        ['nobody', PASSWORD],
        ['invited-only', PASSWORD],
        ['bad\nname', PASSWORD], // a name no user can have
        ['ana', ''],
      ] as const) {
        verifications.count = 0;
        const err = await refusal(users.signIn(name, password));
        expect(verifications.count).toBe(1);
        answers.push(err.toBody());
      }
      expect(answers[0]).toEqual({ code: 'unauthorized', message: 'The name or the password is wrong.', hint: expect.any(String) });
      for (const answer of answers) expect(answer).toEqual(answers[0]);
    });

    it('a session ends after 12 hours without a request, and after 7 days whatever happens', async () => {
      await activeUser('ana');
      const idle = await users.signIn('ana', PASSWORD);
      now += SESSION_IDLE_MS - 1;
      await expect(users.authenticateSession(idle.sessionToken)).resolves.toBeTruthy();
      now += SESSION_IDLE_MS - 1; // kept alive by the request just made
      await expect(users.authenticateSession(idle.sessionToken)).resolves.toBeTruthy();
      now += SESSION_IDLE_MS;
      expect((await refusal(users.authenticateSession(idle.sessionToken))).code).toBe('unauthorized');

      const busy = await users.signIn('ana', PASSWORD);
      const start = now;
      while (now < start + SESSION_ABSOLUTE_MS - 3_600_000) {
        now += 3_600_000;
        await users.authenticateSession(busy.sessionToken);
      }
      now = start + SESSION_ABSOLUTE_MS;
      expect((await refusal(users.authenticateSession(busy.sessionToken))).message).toBe('Your session has ended.');
    });

    it('signing out ends that session only', async () => {
      await activeUser('ana');
      const a = await users.signIn('ana', PASSWORD);
      const b = await users.signIn('ana', PASSWORD);
      await users.signOut(a.sessionToken);
      await users.signOut(a.sessionToken); // twice is fine
      await users.signOut('not a session');
      expect((await refusal(users.authenticateSession(a.sessionToken))).code).toBe('unauthorized');
      await expect(users.authenticateSession(b.sessionToken)).resolves.toBeTruthy();
      expect(await users.signOutEverywhere({ name: 'ana' })).toBe(1);
      expect((await refusal(users.authenticateSession(b.sessionToken))).code).toBe('unauthorized');
    });

    it('raises a password hashed at a lower cost at the next sign-in', async () => {
      const ana = await activeUser('ana');
      await store.users.setPassword(ana.id, await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 }), new Date(now).toISOString());
      await users.signIn('ana', PASSWORD);
      expect((await store.users.byId(ana.id))!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
      await expect(users.signIn('ana', PASSWORD)).resolves.toBeTruthy();
    });
  });

  describe('API tokens', () => {
    it('are shown once, authenticate their user, and are unique per label among live ones', async () => {
      const ana = await activeUser('ana', 'payments');
      const { token, info } = await users.issueApiToken({ name: 'ana' }, 'billing sync');
      expect(token).toMatch(/^outpost_pat_[A-Za-z0-9_-]{43}$/);
      expect(info).toMatchObject({ name: 'billing sync', lastUsedAt: null });
      const auth = await users.authenticateApiToken(token);
      expect(auth.principal).toEqual({ actor: 'ana', role: 'payments', userId: ana.id });
      expect(auth.tokenName).toBe('billing sync');
      expect((await users.listApiTokens({ id: ana.id }))[0]).toEqual({ id: info.id, name: 'billing sync', createdAt: info.createdAt, lastUsedAt: new Date(now).toISOString() });
      expect((await refusal(users.issueApiToken({ name: 'ana' }, 'billing sync'))).code).toBe('conflict');
      await users.revokeApiToken({ name: 'ana' }, 'billing sync');
      expect((await refusal(users.authenticateApiToken(token))).code).toBe('unauthorized');
      await expect(users.issueApiToken({ name: 'ana' }, 'billing sync')).resolves.toBeTruthy(); // the label is free again
      expect((await refusal(users.revokeApiToken({ name: 'ana' }, 'nothing'))).code).toBe('not_found');
    });

    it('refuse anything that is not a live token of theirs', async () => {
      await activeUser('ana');
      const { token } = await users.issueApiToken({ name: 'ana' }, 'ci');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      for (const bad of [sessionToken, token.slice(0, -1), `${token}x`, '', 'Bearer ' + token, hashSecret(token)]) {
        expect((await refusal(users.authenticateApiToken(bad))).code).toBe('unauthorized');
      }
      expect((await refusal(users.authenticateSession(token))).code).toBe('unauthorized');
      expect((await refusal(users.issueApiToken({ name: 'ana' }, 'ci\u202e'))).message).toMatch(/^label: contains an invisible/);
      expect((await refusal(users.issueApiToken({ name: 'nobody' }, 'ci'))).code).toBe('not_found');
    });
  });

  describe('disabling and removing', () => {
    it('a disabled user\'s session and API token stop working at once, and no new ones are given', async () => {
      const ana = await activeUser('ana');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      const { token } = await users.issueApiToken({ name: 'ana' }, 'ci');
      const link = await users.newInvite({ name: 'ana' });
      await expect(users.authenticateSession(sessionToken)).resolves.toBeTruthy();

      expect(await users.disableUser({ id: ana.id })).toMatchObject({ status: 'disabled', disabledAt: new Date(now).toISOString() });
      expect((await refusal(users.authenticateSession(sessionToken))).code).toBe('unauthorized');
      expect((await refusal(users.authenticateApiToken(token))).code).toBe('unauthorized');
      expect((await refusal(users.acceptInvite(link.inviteUrlToken, 'new password 2026'))).code).toBe('unauthorized');
      expect((await refusal(users.signIn('ana', PASSWORD))).code).toBe('forbidden'); // the right password hears why
      expect((await refusal(users.signIn('ana', 'wrong password 123'))).code).toBe('unauthorized');
      expect((await refusal(users.issueApiToken({ name: 'ana' }, 'again'))).code).toBe('conflict');
      expect((await refusal(users.newInvite({ name: 'ana' }))).code).toBe('conflict');

      // Enabled again: the password works, but what was revoked stays revoked.
      await users.enableUser({ name: 'ana' });
      await expect(users.signIn('ana', PASSWORD)).resolves.toBeTruthy();
      expect((await refusal(users.authenticateSession(sessionToken))).code).toBe('unauthorized');
      expect((await refusal(users.authenticateApiToken(token))).code).toBe('unauthorized');
    });

    it('is checked at every request too, not only through revocation', async () => {
      const ana = await activeUser('ana');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      const { token } = await users.issueApiToken({ name: 'ana' }, 'ci');
      // As if another process disabled the user between a revocation and this request.
      await store.users.setDisabled(ana.id, new Date(now).toISOString(), new Date(now).toISOString());
      expect((await refusal(users.authenticateSession(sessionToken))).code).toBe('unauthorized');
      expect((await refusal(users.authenticateApiToken(token))).code).toBe('unauthorized');
    });

    it('removing a user deletes their credentials and frees the name', async () => {
      await activeUser('ana');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      const { token } = await users.issueApiToken({ name: 'ana' }, 'ci');
      await users.removeUser({ name: 'ANA' });
      expect((await refusal(users.authenticateSession(sessionToken))).code).toBe('unauthorized');
      expect((await refusal(users.authenticateApiToken(token))).code).toBe('unauthorized');
      expect((await refusal(users.getUser({ name: 'ana' }))).code).toBe('not_found');
      expect((await refusal(users.removeUser({ name: 'ana' }))).code).toBe('not_found');
      expect(everyStoredValue()).toEqual([]);
      await expect(users.addUser('ana', 'support')).resolves.toBeTruthy();
    });
  });

  describe('what is stored and shown', () => {
    it('keeps hashes only: no link token, cookie, API token or password is in any row', async () => {
      const { inviteUrlToken } = await users.addUser('ana', 'operator');
      await users.acceptInvite(inviteUrlToken, PASSWORD);
      const second = await users.addUser('bob', 'support');
      const { sessionToken, csrfToken } = await users.signIn('ana', PASSWORD);
      const { token } = await users.issueApiToken({ name: 'ana' }, 'ci');
      const values = everyStoredValue();
      for (const secret of [inviteUrlToken, second.inviteUrlToken, sessionToken, token, PASSWORD, token.replace('outpost_pat_', '')]) {
        expect(values.some((v) => v.includes(secret))).toBe(false);
      }
      expect(values).toContain(hashSecret(sessionToken));
      expect(values).toContain(hashSecret(token));
      expect(values).toContain(hashSecret(second.inviteUrlToken));
      // The CSRF token is kept as is on purpose (it is worthless without the cookie; a reloaded page needs it).
      expect(values).toContain(csrfToken);
    });

    it('lists users without any hash or secret', async () => {
      await activeUser('ana');
      await users.addUser('bob', 'payments');
      await users.disableUser({ name: 'bob' });
      const list = await users.listUsers();
      expect(list.map((u) => [u.name, u.role, u.status])).toEqual([
        ['ana', 'operator', 'active'],
        ['bob', 'payments', 'disabled'],
      ]);
      for (const u of list) expect(Object.keys(u).sort()).toEqual(['createdAt', 'disabledAt', 'id', 'name', 'role', 'status', 'updatedAt']);
      expect(JSON.stringify(list)).not.toContain('scrypt');
    });

    it('audits every change to users and credentials when told who made it, never a secret', async () => {
      const by = { actor: 'host admin (root)', role: 'operator' } as const;
      const { user, inviteUrlToken } = await users.addUser('ana', 'payments', by);
      const { token } = await users.issueApiToken({ name: 'ana' }, 'billing', by);
      await users.revokeApiToken({ name: 'ana' }, 'billing', by);
      const link = await users.newInvite({ name: 'ana' }, by);
      await users.signOutEverywhere({ name: 'ana' }, by);
      await users.disableUser({ name: 'ana' }, by);
      await users.enableUser({ name: 'ana' }, by);
      await refusal(users.addUser('ANA', 'support', by)); // refused: its transaction wrote nothing
      await users.removeUser({ name: 'ana' }, by);
      await users.addUser('bob', 'support'); // no actor given: not audited
      const entries = (await store.audit.list()).reverse();
      expect(entries.map((e) => e.action)).toEqual([
        'users:add',
        'users:token',
        'users:revoke-token',
        'users:invite',
        'users:sign-out',
        'users:disable',
        'users:enable',
        'users:remove',
      ]);
      for (const e of entries) expect(e).toMatchObject({ actor: 'host admin (root)', role: 'operator', target: user.id, targetName: 'ana', outcome: 'ok' });
      expect(entries[0]!.detail).toEqual({ role: 'payments', inviteExpiresAt: expect.any(String) });
      expect(entries[1]!.detail).toEqual({ tokenId: expect.stringMatching(/^tok_/), label: 'billing' });
      const text = JSON.stringify(entries);
      for (const secret of [inviteUrlToken, link.inviteUrlToken, token]) expect(text).not.toContain(secret);
    });

    it('prunes ended sessions and spent links, keeping live ones', async () => {
      await activeUser('ana');
      const { sessionToken } = await users.signIn('ana', PASSWORD);
      const gone = await users.signIn('ana', PASSWORD);
      await users.signOut(gone.sessionToken);
      await users.addUser('bob', 'support'); // a live link
      expect(await users.prune()).toEqual({ sessions: 1, invites: 1 });
      await expect(users.authenticateSession(sessionToken)).resolves.toBeTruthy();
      now += INVITE_TTL_MS + SESSION_IDLE_MS;
      expect(await users.prune()).toEqual({ sessions: 1, invites: 1 });
    });
  });
});
