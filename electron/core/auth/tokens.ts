// Bearer secrets of the team server (issue 16): session cookies, one-time sign-in links and API tokens.
// Each is 32 random bytes, handed to its holder once and stored only as its SHA-256: a copy of the
// database (a backup, a pg_dump) signs no one in. A plain hash is enough here, unlike for passwords:
// the secret has 256 bits of entropy, so there is nothing for a slow hash to protect against.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_BYTES = 32;

/**
 * API tokens carry a prefix so a leaked one is recognisable (secret scanners, log redaction, a person
 * reading a pasted config) and so the server can tell one from a session value on sight.
 */
export const API_TOKEN_PREFIX = 'outpost_pat_';

export type SecretKind = 'session' | 'invite' | 'csrf' | 'api';

/** base64url of 32 random bytes: 43 characters. */
const BODY = /^[A-Za-z0-9_-]{43}$/;

/** A fresh secret of `kind`: what its holder keeps (the cookie value, the link's token, the bearer token). */
export function newSecret(kind: SecretKind): string {
  const body = randomBytes(SECRET_BYTES).toString('base64url');
  return kind === 'api' ? `${API_TOKEN_PREFIX}${body}` : body;
}

/**
 * Whether `value` has the shape of a secret of `kind` — checked before it is hashed and looked up, so
 * a megabyte header or a value of the wrong kind is turned away without touching the database.
 */
export function isSecretShaped(kind: SecretKind, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (kind === 'api') return value.startsWith(API_TOKEN_PREFIX) && BODY.test(value.slice(API_TOKEN_PREFIX.length));
  return BODY.test(value);
}

/** What the database keeps of a secret: SHA-256, lowercase hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two secrets of any length (a presented CSRF token against the session's):
 * both are hashed first, so timingSafeEqual gets equal lengths and the time says nothing about where
 * they differ, nor about the expected length.
 */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** Row ids for users and API tokens: prefixed like the store's other ids (ids.ts), not secret. */
export const newRowId = (prefix: 'usr' | 'tok'): string => `${prefix}_${randomBytes(6).toString('hex')}`;
