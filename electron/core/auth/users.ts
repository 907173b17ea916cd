// The team server's users, roles and credentials (issue 16, DESIGN §10): the one service `outpost serve`
// and `outpost users` call. It owns every rule — who may sign in, for how long, what a link or a token
// is worth — over the storage in db/repos/users.ts, and works the same on SQLite and PostgreSQL.
//
// Secrets handed out (the sign-in link's token, the session cookie, the CSRF token, an API token) are
// returned once by the call that makes them and kept only as hashes (tokens.ts); passwords only as
// scrypt hashes (passwords.ts). No error message, return value of a later call or log line carries one.
//
// How a server uses it (every failure is an OutpostError for the error envelope):
//   sign-in link   GET <base>/invite#<token> serves the page; it POSTs {token, password} →
//                  acceptInvite, then signIn with the same password.
//   sign-in        SignInThrottle.attempt(name, clientAddress, () => signIn(name, password)) (rate-limit.ts)
//                  → Set-Cookie: the sessionToken (HttpOnly; Secure; SameSite=Strict; Path=/; Expires=
//                  expiresAt); the page keeps csrfToken and sends it in a header.
//   each request   cookie → authenticateSession → ctx.principal = .principal; a state-changing request
//                  also checkCsrf(session, header). `Authorization: Bearer` → authenticateApiToken (no CSRF).
//   sign-out       signOut(cookie), and clear the cookie.
//   housekeeping   prune() now and then (hourly).
// Management (addUser, newInvite, disableUser, enableUser, removeUser, issueApiToken, revokeApiToken,
// signOutEverywhere) takes an optional AuditActor: given, the change is audited in its own transaction.
import { ROLES } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { NewAuditEntry } from '../db/repos/audit';
import type { Store } from '../db/store';
import { isUniqueViolation, type ApiTokenRow, type TeamRole, type UserRow } from '../db/repos/users';
import { systemClock, type Clock } from '../ports';
import { normalizeUserName, userNameKey } from './names';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from './passwords';
import { hashSecret, isSecretShaped, newRowId, newSecret, secretsEqual } from './tokens';

export type { TeamRole } from '../db/repos/users';
/** The permission table's roles (shared/permissions.ts); the users table's CHECK lists the same three. */
export const TEAM_ROLES = ROLES satisfies readonly TeamRole[];

const HOUR = 3_600_000;
/** A sign-in link works once, for a day: long enough to reach someone in another time zone. */
export const INVITE_TTL_MS = 24 * HOUR;
/** A session ends after 12 h without a request… */
export const SESSION_IDLE_MS = 12 * HOUR;
/** …and 7 days after sign-in whatever happens, so a stolen cookie does not live for ever. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
/** last_seen_at / last_used_at are written at most this often per session or token (not on every request). */
const TOUCH_EVERY_MS = 60_000;

/** A user as anyone may see it: never a hash, never a secret. */
export interface UserInfo {
  id: string;
  name: string;
  role: TeamRole;
  /** invited: has not set a password yet; active: may sign in; disabled: may not, and holds no session or token. */
  status: 'invited' | 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

/**
 * Who is calling, for the permission guard and the audit (CallContext.principal): the user's name is
 * the audit actor, the role is the user's fixed role (not a setting the caller can switch).
 */
export interface TeamPrincipal {
  actor: string;
  role: TeamRole;
  userId: string;
}

/** A user named by id (a signed-in session knows it) or by name (the `outpost users` command). */
export type UserRef = { id: string } | { name: string };

/**
 * Who manages users, for the audit: a signed-in operator (their principal) or the host's administrator
 * at the `outpost users` command. Given, every change to users and their credentials is written to the
 * audit log in the same transaction as the change (never a secret: the label of a token, not the token).
 */
export interface AuditActor {
  actor: string;
  role: NewAuditEntry['role'];
}

export interface NewSession {
  /** The cookie value (HttpOnly, Secure, SameSite=Strict). Shown once; only its hash is kept. */
  sessionToken: string;
  /** Sent back by the page in a header on every state-changing request (checkCsrf). */
  csrfToken: string;
  user: UserInfo;
  /** The absolute end of the session (ISO); the cookie's Expires. It also ends after 12 h idle. */
  expiresAt: string;
}

export interface AuthenticatedSession {
  user: UserInfo;
  principal: TeamPrincipal;
  csrfToken: string;
  /** When the session ends if no further request comes (ISO): the earlier of idle and absolute expiry. */
  expiresAt: string;
}

export interface AuthenticatedToken {
  user: UserInfo;
  principal: TeamPrincipal;
  tokenId: string;
  tokenName: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const toInfo = (u: UserRow): UserInfo => ({
  id: u.id,
  name: u.name,
  role: u.role,
  status: u.disabledAt ? 'disabled' : u.passwordHash ? 'active' : 'invited',
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  disabledAt: u.disabledAt,
});

const toPrincipal = (u: UserRow): TeamPrincipal => ({ actor: u.name, role: u.role, userId: u.id });

const toTokenInfo = (t: ApiTokenRow): ApiTokenInfo => ({ id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt });

// One message for every failed sign-in: an unknown name, a wrong password and a user who has not set a
// password yet read the same, so the answer says nothing about which names exist.
const signInFailed = () => new OutpostError('unauthorized', 'The name or the password is wrong.', { hint: 'Check both and try again; an operator can send you a new sign-in link.' });
const linkInvalid = () =>
  new OutpostError('unauthorized', 'This sign-in link cannot be used: it was already used, has expired or was replaced by a newer one.', {
    hint: 'Ask an operator for a new link (outpost users invite NAME).',
  });
const sessionEnded = () => new OutpostError('unauthorized', 'Your session has ended.', { hint: 'Sign in again.' });
const tokenInvalid = () => new OutpostError('unauthorized', 'The API token is not valid: it is unknown, revoked, or its user is disabled.', { hint: 'Ask an operator for a new token.' });

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  private nowIso(offsetMs = 0): string {
    return new Date(this.clock.now() + offsetMs).toISOString();
  }

  /** One audit entry for a change to `user`, inside the change's transaction; nothing when no actor is given. */
  private async audit(tx: Store, by: AuditActor | undefined, action: string, user: UserRow, at: string, detail: Record<string, unknown> = {}): Promise<void> {
    if (!by) return;
    await tx.audit.append({ at, actor: by.actor, role: by.role, action, target: user.id, targetName: user.name, outcome: 'ok', detail });
  }

  /** The user `ref` names, or not_found. Reads through `store` (the service's, or a transaction's). */
  private async find(ref: UserRef, store: Store = this.store): Promise<UserRow> {
    const user = 'id' in ref ? await store.users.byId(ref.id) : await store.users.byNameKey(userNameKey(normalizeUserName(ref.name)));
    if (!user) throw new OutpostError('not_found', 'There is no such user.', { hint: 'outpost users list shows every user.' });
    return user;
  }

  /**
   * Adds a user with a fixed role and makes their one-time sign-in link (valid 24 h). The name is
   * checked (names.ts) and must differ from every other user's once case and look-alike forms are
   * folded (conflict). `inviteUrlToken` goes after `#` in the link (inviteLink in invite-link.ts) and is
   * shown once.
   */
  async addUser(name: string, role: TeamRole, by?: AuditActor): Promise<{ user: UserInfo; inviteUrlToken: string; inviteExpiresAt: string }> {
    const clean = normalizeUserName(name);
    if (!(TEAM_ROLES as readonly string[]).includes(role)) {
      throw new OutpostError('invalid_input', `role: must be one of ${TEAM_ROLES.join(', ')}.`, { hint: 'operator changes everything, support reads everything, payments records payments.' });
    }
    const key = userNameKey(clean);
    const token = newSecret('invite');
    const at = this.nowIso();
    const expiresAt = this.nowIso(INVITE_TTL_MS);
    const id = newRowId('usr');
    try {
      const user = await this.store.transaction(async (tx) => {
        if (await tx.users.byNameKey(key)) throw nameTaken();
        await tx.users.insert({ id, name: clean, nameKey: key, role, at });
        await tx.users.insertInvite({ tokenHash: hashSecret(token), userId: id, at, expiresAt });
        const added = (await tx.users.byId(id))!;
        await this.audit(tx, by, 'users:add', added, at, { role, inviteExpiresAt: expiresAt });
        return added;
      });
      return { user: toInfo(user), inviteUrlToken: token, inviteExpiresAt: expiresAt };
    } catch (err) {
      // Two servers adding the same name at once: the UNIQUE name_key lets one through.
      if (isUniqueViolation(err)) throw nameTaken();
      throw err;
    }
  }

  /**
   * A new one-time sign-in link for an existing user (the first one expired, or a forgotten password:
   * using it sets a new password and ends every session). Older unused links stop working.
   */
  async newInvite(ref: UserRef, by?: AuditActor): Promise<{ user: UserInfo; inviteUrlToken: string; inviteExpiresAt: string }> {
    const token = newSecret('invite');
    const at = this.nowIso();
    const expiresAt = this.nowIso(INVITE_TTL_MS);
    const user = await this.store.transaction(async (tx) => {
      const u = await this.find(ref, tx);
      if (u.disabledAt) throw new OutpostError('conflict', `${u.name} is disabled.`, { hint: 'Enable the user first (outpost users enable NAME).' });
      await tx.users.dropUnusedInvites(u.id);
      await tx.users.insertInvite({ tokenHash: hashSecret(token), userId: u.id, at, expiresAt });
      await this.audit(tx, by, 'users:invite', u, at, { inviteExpiresAt: expiresAt });
      return u;
    });
    return { user: toInfo(user), inviteUrlToken: token, inviteExpiresAt: expiresAt };
  }

  /**
   * Uses a sign-in link: sets the user's password (policy in passwords.ts: invalid_input naming
   * `password`, and the link stays usable) and spends the link, once — a second use, an expired link or
   * a disabled user gets unauthorized. Every session the user had ends (this is also the password
   * reset). Returns the user; sign in with the new password to get a session.
   */
  async acceptInvite(inviteUrlToken: string, password: string): Promise<{ user: UserInfo }> {
    if (!isSecretShaped('invite', inviteUrlToken)) throw linkInvalid();
    const tokenHash = hashSecret(inviteUrlToken);
    const invite = await this.store.users.inviteByHash(tokenHash);
    if (!invite || invite.usedAt || invite.expiresAt <= this.nowIso()) throw linkInvalid();
    const owner = await this.store.users.byId(invite.userId);
    if (!owner || owner.disabledAt) throw linkInvalid();
    const clean = checkPasswordPolicy(password, 'password', owner.name);
    // Hashed before the transaction: it takes ~100 ms and a transaction must do store work only.
    const passwordHash = await hashPassword(clean);
    const user = await this.store.transaction(async (tx) => {
      const at = this.nowIso();
      // The UPDATE is the single-use check: of two requests with one link, one gets true.
      if (!(await tx.users.useInvite(tokenHash, at))) throw linkInvalid();
      const u = await tx.users.byId(invite.userId);
      if (!u || u.disabledAt) throw linkInvalid();
      await tx.users.setPassword(u.id, passwordHash, at);
      await tx.users.revokeSessions(u.id, at);
      await tx.users.dropUnusedInvites(u.id);
      return (await tx.users.byId(u.id))!;
    });
    return { user: toInfo(user) };
  }

  /**
   * Signs in with name and password: a new session (12 h idle, 7 days at most). Whether the name is
   * unknown, has no password yet or the password is wrong, the answer is the same unauthorized error
   * after the same work (a dummy hash is verified for a missing user), so neither the message nor the
   * time tells which names exist. Only a correct password for a disabled user hears that it is
   * disabled (forbidden). Call it behind a rate limit (rate-limit.ts).
   */
  async signIn(name: string, password: string): Promise<NewSession> {
    let user: UserRow | null = null;
    try {
      user = await this.store.users.byNameKey(userNameKey(normalizeUserName(name)));
    } catch (err) {
      if (!(err instanceof OutpostError && err.code === 'invalid_input')) throw err; // a name no user can have
    }
    const candidate = typeof password === 'string' && password.length <= MAX_PASSWORD_LENGTH * 2 ? password : '';
    const stored = user?.passwordHash ?? (await dummyPasswordHash());
    const matches = await verifyPassword(candidate, stored);
    if (!user || !user.passwordHash || !matches) throw signInFailed();
    if (user.disabledAt) throw new OutpostError('forbidden', 'This user is disabled.', { hint: 'Ask an operator.' });
    const rehash = needsRehash(user.passwordHash) ? await hashPassword(candidate) : null;
    const sessionToken = newSecret('session');
    const csrfToken = newSecret('csrf');
    const at = this.nowIso();
    const expiresAt = this.nowIso(SESSION_ABSOLUTE_MS);
    const userId = user.id;
    const verifiedHash = user.passwordHash;
    const fresh = await this.store.transaction(async (tx) => {
      // Disabled between the check above and now: no session.
      const u = await tx.users.byId(userId);
      if (!u || u.disabledAt || !u.passwordHash) throw signInFailed();
      // Only over the hash just verified: a password set meanwhile (an invite used) is not overwritten.
      if (rehash && u.passwordHash === verifiedHash) await tx.users.setPassword(userId, rehash, at);
      await tx.users.insertSession({ id: hashSecret(sessionToken), userId, csrfToken, at, expiresAt });
      return u;
    });
    return { sessionToken, csrfToken, user: toInfo(fresh), expiresAt };
  }

  /**
   * The session behind a cookie value, or unauthorized (unknown, signed out, idle over 12 h, older
   * than 7 days, or its user disabled or removed — each takes effect at the next request). Records the
   * request as the session's last activity.
   */
  async authenticateSession(sessionToken: string): Promise<AuthenticatedSession> {
    if (!isSecretShaped('session', sessionToken)) throw sessionEnded();
    const found = await this.store.users.sessionById(hashSecret(sessionToken));
    if (!found) throw sessionEnded();
    const { session, user } = found;
    const now = this.clock.now();
    const idleEnd = Date.parse(session.lastSeenAt) + SESSION_IDLE_MS;
    if (session.revokedAt || user.disabledAt || now >= Date.parse(session.expiresAt) || now >= idleEnd) throw sessionEnded();
    if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await this.store.users.touchSession(session.id, new Date(now).toISOString());
    const expiresAt = new Date(Math.min(Date.parse(session.expiresAt), now + SESSION_IDLE_MS)).toISOString();
    return { user: toInfo(user), principal: toPrincipal(user), csrfToken: session.csrfToken, expiresAt };
  }

  /**
   * The CSRF check for a state-changing request made with a session cookie: `presented` (the page's
   * header) must be the session's token, compared in constant time; forbidden otherwise. Requests with
   * an API token need none (no browser sends a bearer header by itself).
   */
  checkCsrf(session: AuthenticatedSession, presented: unknown): void {
    if (typeof presented !== 'string' || presented.length > 256 || !secretsEqual(presented, session.csrfToken)) {
      throw new OutpostError('forbidden', 'The request did not carry this session\'s CSRF token.', { hint: 'Reload the page and try again.' });
    }
  }

  /** Ends the session behind a cookie value; nothing happens for an unknown or ended one. */
  async signOut(sessionToken: string): Promise<void> {
    if (!isSecretShaped('session', sessionToken)) return;
    await this.store.users.revokeSession(hashSecret(sessionToken), this.nowIso());
  }

  /** Ends every session of the user (a lost laptop); returns how many were live. */
  async signOutEverywhere(ref: UserRef, by?: AuditActor): Promise<number> {
    const at = this.nowIso();
    return this.store.transaction(async (tx) => {
      const user = await this.find(ref, tx);
      const ended = await tx.users.revokeSessions(user.id, at);
      await this.audit(tx, by, 'users:sign-out', user, at, { sessions: ended });
      return ended;
    });
  }

  /**
   * A new API token for the user's scripts, named `name` (the label, 1-64 characters, unique among the
   * user's live tokens: conflict). The token is in the answer once and never again. Refused for a
   * disabled user (conflict).
   */
  async issueApiToken(ref: UserRef, name: string, by?: AuditActor): Promise<{ token: string; info: ApiTokenInfo; user: UserInfo }> {
    const label = normalizeUserName(name, 'label');
    const token = newSecret('api');
    const id = newRowId('tok');
    const at = this.nowIso();
    try {
      const user = await this.store.transaction(async (tx) => {
        const u = await this.find(ref, tx);
        if (u.disabledAt) throw new OutpostError('conflict', `${u.name} is disabled.`, { hint: 'Enable the user first.' });
        await tx.users.insertApiToken({ id, tokenHash: hashSecret(token), userId: u.id, name: label, at });
        await this.audit(tx, by, 'users:token', u, at, { tokenId: id, label });
        return u;
      });
      return { token, info: { id, name: label, createdAt: at, lastUsedAt: null }, user: toInfo(user) };
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new OutpostError('conflict', 'label: the user already has a token with this label.', { hint: 'Choose another label, or revoke the old token first.' });
      }
      throw err;
    }
  }

  /**
   * The user behind an `Authorization: Bearer` token, or unauthorized (unknown, revoked, or its user
   * disabled or removed). Records the use (at most once a minute).
   */
  async authenticateApiToken(bearer: string): Promise<AuthenticatedToken> {
    if (!isSecretShaped('api', bearer)) throw tokenInvalid();
    const found = await this.store.users.apiTokenByHash(hashSecret(bearer));
    if (!found || found.token.revokedAt || found.user.disabledAt) throw tokenInvalid();
    const now = this.clock.now();
    if (!found.token.lastUsedAt || now - Date.parse(found.token.lastUsedAt) >= TOUCH_EVERY_MS) {
      await this.store.users.touchApiToken(found.token.id, new Date(now).toISOString());
    }
    return { user: toInfo(found.user), principal: toPrincipal(found.user), tokenId: found.token.id, tokenName: found.token.name };
  }

  /** The user's live API tokens (label, dates; never the token). */
  async listApiTokens(ref: UserRef): Promise<ApiTokenInfo[]> {
    const user = await this.find(ref);
    return (await this.store.users.apiTokens(user.id)).map(toTokenInfo);
  }

  /** Revokes the user's live token with this label; not_found when there is none. */
  async revokeApiToken(ref: UserRef, name: string, by?: AuditActor): Promise<void> {
    const label = normalizeUserName(name, 'label');
    const at = this.nowIso();
    await this.store.transaction(async (tx) => {
      const user = await this.find(ref, tx);
      if (!(await tx.users.revokeApiToken(user.id, label, at))) {
        throw new OutpostError('not_found', 'label: the user has no live token with this label.', { hint: 'Check the spelling of the label.' });
      }
      await this.audit(tx, by, 'users:revoke-token', user, at, { label });
    });
  }

  /**
   * Disables the user: at once, every session and API token stops working (revoked, and also checked
   * at every request) and unused sign-in links are dropped. Idempotent. The user stays listed, and the
   * name stays taken, so the audit's entries keep pointing at one person.
   */
  async disableUser(ref: UserRef, by?: AuditActor): Promise<UserInfo> {
    const at = this.nowIso();
    const user = await this.store.transaction(async (tx) => {
      const u = await this.find(ref, tx);
      if (!u.disabledAt) await tx.users.setDisabled(u.id, at, at);
      const sessions = await tx.users.revokeSessions(u.id, at);
      const apiTokens = await tx.users.revokeApiTokens(u.id, at);
      await tx.users.dropUnusedInvites(u.id);
      await this.audit(tx, by, 'users:disable', u, at, { sessions, apiTokens });
      return (await tx.users.byId(u.id))!;
    });
    return toInfo(user);
  }

  /** Lets a disabled user sign in again with their password; revoked sessions and tokens stay revoked. */
  async enableUser(ref: UserRef, by?: AuditActor): Promise<UserInfo> {
    const at = this.nowIso();
    const user = await this.store.transaction(async (tx) => {
      const u = await this.find(ref, tx);
      if (u.disabledAt) await tx.users.setDisabled(u.id, null, at);
      await this.audit(tx, by, 'users:enable', u, at);
      return (await tx.users.byId(u.id))!;
    });
    return toInfo(user);
  }

  /**
   * Deletes the user with every link, session and token (they stop working at once). The audit keeps
   * the name as text; the name becomes free for someone else, so prefer disableUser for people who
   * left and keep this for mistakes (a typo in `users add`).
   */
  async removeUser(ref: UserRef, by?: AuditActor): Promise<void> {
    const at = this.nowIso();
    await this.store.transaction(async (tx) => {
      const u = await this.find(ref, tx);
      await tx.users.remove(u.id);
      await this.audit(tx, by, 'users:remove', u, at, { role: u.role });
    });
  }

  /** Every user, by name, without any hash or secret. */
  async listUsers(): Promise<UserInfo[]> {
    return (await this.store.users.list()).map(toInfo);
  }

  /** One user by id or name (not_found), without any hash or secret. */
  async getUser(ref: UserRef): Promise<UserInfo> {
    return toInfo(await this.find(ref));
  }

  /** Deletes ended sessions and spent or expired links; for a periodic timer in the server. */
  async prune(): Promise<{ sessions: number; invites: number }> {
    const now = this.clock.now();
    return this.store.users.prune(new Date(now).toISOString(), new Date(now - SESSION_IDLE_MS).toISOString());
  }
}

const nameTaken = () => new OutpostError('conflict', 'name: another user already has this name (ignoring case and look-alike forms).', { hint: 'Choose another name.' });
