// The team server's people (migration 7): users, their one-time sign-in links, browser sessions and API
// tokens. Storage only — every rule (expiry, idle time, who may do what, hashing) is in
// electron/core/auth/users.ts. Every secret arrives here already hashed; nothing in this file ever sees
// a password, a cookie value or a token.
import type { Db } from '../engine';
import type { ApiTokensTable, UsersTable } from '../tables';

export type TeamRole = UsersTable['role'];

export interface UserRow {
  id: string;
  name: string;
  role: TeamRole;
  /** `scrypt$…` (auth/passwords.ts), or null until the user has set one through an invite. */
  passwordHash: string | null;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

export interface InviteRow {
  userId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SessionRow {
  /** SHA-256 of the cookie value. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const userColumns = ['users.id', 'users.name', 'users.role', 'users.password_hash', 'users.created_at', 'users.updated_at', 'users.disabled_at'] as const;

type UserSelection = Pick<UsersTable, 'id' | 'name' | 'role' | 'password_hash' | 'created_at' | 'updated_at' | 'disabled_at'>;

const toUser = (r: UserSelection): UserRow => ({
  id: r.id,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  disabledAt: r.disabled_at,
});

const toApiToken = (r: Omit<ApiTokensTable, 'token_hash'>): ApiTokenRow => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** A UNIQUE or PRIMARY KEY constraint refused the row, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class UsersRepo {
  constructor(private readonly db: Db) {}

  // ---- users

  /** Throws a unique violation (isUniqueViolation) when `nameKey` is taken. */
  async insert(user: { id: string; name: string; nameKey: string; role: TeamRole; at: string }): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ id: user.id, name: user.name, name_key: user.nameKey, role: user.role, password_hash: null, created_at: user.at, updated_at: user.at, disabled_at: null })
      .execute();
  }

  async byId(id: string): Promise<UserRow | null> {
    const row = await this.db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async byNameKey(nameKey: string): Promise<UserRow | null> {
    const row = await this.db.selectFrom('users').select(userColumns).where('name_key', '=', nameKey).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  /** Every user, by name (folded, so "ana" sorts beside "Ana"). */
  async list(): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').select(userColumns).orderBy('name_key').execute();
    return rows.map(toUser);
  }

  async setPassword(userId: string, passwordHash: string, at: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', userId).execute();
  }

  /** `disabledAt` null enables the user again. */
  async setDisabled(userId: string, disabledAt: string | null, at: string): Promise<void> {
    await this.db.updateTable('users').set({ disabled_at: disabledAt, updated_at: at }).where('id', '=', userId).execute();
  }

  /** Deletes the user; its invites, sessions and API tokens go with it (ON DELETE CASCADE). */
  async remove(userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  // ---- one-time sign-in links

  async insertInvite(invite: { tokenHash: string; userId: string; at: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('invites')
      .values({ token_hash: invite.tokenHash, user_id: invite.userId, created_at: invite.at, expires_at: invite.expiresAt, used_at: null })
      .execute();
  }

  async inviteByHash(tokenHash: string): Promise<InviteRow | null> {
    const row = await this.db.selectFrom('invites').select(['user_id', 'created_at', 'expires_at', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? { userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at, usedAt: row.used_at } : null;
  }

  /**
   * Marks the link used if it is still unused and unexpired at `at`: true for exactly one caller, even
   * when two requests (or two server processes) present the same link at once — the check and the
   * write are one UPDATE.
   */
  async useInvite(tokenHash: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('invites')
      .set({ used_at: at })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Drops the user's links not used yet (a new link replaces them; a disabled user keeps none). */
  async dropUnusedInvites(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('invites').where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // ---- sessions

  async insertSession(session: { id: string; userId: string; csrfToken: string; at: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.at,
        last_seen_at: session.at,
        expires_at: session.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  /** The session with its user (null when either is gone); validity is the caller's to judge. */
  async sessionById(id: string): Promise<{ session: SessionRow; user: UserRow } | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(userColumns)
      .select([
        'sessions.id as session_id',
        'sessions.csrf_token',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'sessions.revoked_at',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      session: {
        id: row.session_id,
        userId: row.id,
        csrfToken: row.csrf_token,
        createdAt: row.session_created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      },
      user: toUser(row),
    };
  }

  async touchSession(id: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async revokeSession(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Ends every live session of the user; returns how many. */
  async revokeSessions(userId: string, at: string): Promise<number> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  // ---- API tokens

  /** Throws a unique violation when the user already has a live token with this name. */
  async insertApiToken(token: { id: string; tokenHash: string; userId: string; name: string; at: string }): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({ id: token.id, token_hash: token.tokenHash, user_id: token.userId, name: token.name, created_at: token.at, last_used_at: null, revoked_at: null })
      .execute();
  }

  async apiTokenByHash(tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(userColumns)
      .select(['api_tokens.id as token_id', 'api_tokens.name as token_name', 'api_tokens.created_at as token_created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    return {
      token: { id: row.token_id, userId: row.id, name: row.token_name, createdAt: row.token_created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at },
      user: toUser(row),
    };
  }

  /** The user's live tokens (never their hashes), oldest first. */
  async apiTokens(userId: string): Promise<ApiTokenRow[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toApiToken);
  }

  async touchApiToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async revokeApiToken(userId: string, name: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Revokes every live token of the user; returns how many. */
  async revokeApiTokens(userId: string, at: string): Promise<number> {
    const result = await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  // ---- housekeeping

  /**
   * Deletes sessions that can no longer be used (revoked, past their absolute expiry, or last seen
   * before `idleBefore`) and links that are used or expired. Revoked API tokens stay, as the record of
   * what existed.
   */
  async prune(at: string, idleBefore: string): Promise<{ sessions: number; invites: number }> {
    const sessions = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', at), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    const invites = await this.db
      .deleteFrom('invites')
      .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', at)]))
      .executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), invites: Number(invites.numDeletedRows) };
  }
}
