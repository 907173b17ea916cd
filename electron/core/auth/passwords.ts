// Team users' passwords (issue 16): scrypt from Node's crypto (OpenSSL's implementation), a random salt
// per hash, and the parameters written into the stored string — `scrypt$N$r$p$salt$hash` — so they can
// be raised later without locking anyone out: a hash below the current cost still verifies, and
// `needsRehash` tells the caller to store a new one while it holds the password (users.ts, at sign-in).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { OutpostError } from '../../../shared/errors';

export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

/**
 * 2^15, r=8, p=1: 32 MiB and some 100 ms per hash. Unlike the vault (one derivation per unlock, 2^17),
 * a server hashes at every sign-in of every user, so the cost is per request; the sign-in rate limit
 * (rate-limit.ts) keeps that from being a lever to exhaust the server.
 */
export const PASSWORD_COST: PasswordCost = { N: 2 ** 15, r: 8, p: 1 };

export const MIN_PASSWORD_LENGTH = 12;
/** Hashing is per request: a bound keeps a megabyte "password" from costing more than a normal one. */
export const MAX_PASSWORD_LENGTH = 256;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = 'scrypt';

/** Node refuses when 128·N·r·p reaches maxmem (default 32 MiB, exactly 2^15's need): allow twice. */
const maxmemFor = ({ N, r, p }: PasswordCost): number => 256 * N * r * p;

/**
 * Parameters read back from the database: bounded so an edited row cannot make one sign-in allocate
 * gigabytes or spin for minutes, nor verify at a cost too low to mean anything.
 */
function costAcceptable({ N, r, p }: PasswordCost): boolean {
  const powerOfTwo = Number.isSafeInteger(N) && N > 1 && (N & (N - 1)) === 0;
  return powerOfTwo && N >= 2 ** 14 && N <= 2 ** 20 && Number.isSafeInteger(r) && r >= 8 && r <= 16 && Number.isSafeInteger(p) && p >= 1 && p <= 4;
}

// Kinds of character: a password made of one kind only ("correcthorse" is all lowercase letters,
// "123456789012" all digits) falls to a small dictionary or a plain count however long it looks.
const KINDS: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /[\p{Lt}\p{Lm}\p{Lo}]/u, /\p{N}/u, /[^\p{L}\p{N}]/u];

/**
 * The password policy: at least 12 characters and not all of one kind (lowercase letters, uppercase
 * letters, other letters, digits, or spaces and symbols). Throws invalid_input naming `field` and the
 * rule; the password itself never appears in the message. `userName`: a password equal to the name is
 * refused too (it is the first guess).
 */
export function checkPasswordPolicy(password: unknown, field = 'password', userName?: string): string {
  if (typeof password !== 'string') throw new OutpostError('invalid_input', `${field}: give the password as text.`);
  const normalized = password.normalize('NFC');
  const chars = [...normalized];
  const rule = `a password needs at least ${MIN_PASSWORD_LENGTH} characters, not all of one kind (mix in a capital, a digit, a space or a symbol)`;
  if (chars.length < MIN_PASSWORD_LENGTH) {
    throw new OutpostError('invalid_input', `${field}: has ${chars.length} characters; ${rule}.`, { hint: 'A few unrelated words with a space or a digit between them work well.' });
  }
  if (chars.length > MAX_PASSWORD_LENGTH) {
    throw new OutpostError('invalid_input', `${field}: has ${chars.length} characters; a password has at most ${MAX_PASSWORD_LENGTH}.`);
  }
  const kinds = KINDS.filter((kind) => kind.test(normalized)).length;
  if (kinds < 2) throw new OutpostError('invalid_input', `${field}: is all of one kind of character; ${rule}.`);
  if (userName !== undefined && normalized.toLowerCase() === userName.normalize('NFC').toLowerCase()) {
    throw new OutpostError('invalid_input', `${field}: is the user's name; choose something else.`);
  }
  return normalized;
}

function derive(password: string, salt: Buffer, cost: PasswordCost, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // On libuv's thread pool: the server keeps answering while one sign-in hashes. NFC makes "é" typed
    // as one or as two code points (macOS vs. Linux input methods) the same password.
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem: maxmemFor(cost) }, (err, key) => {
      if (err) reject(new OutpostError('internal', 'The password could not be hashed.'));
      else resolve(key);
    });
  });
}

/** The stored form of `password`: `scrypt$N$r$p$salt$hash`, salt and hash in unpadded base64url. */
export async function hashPassword(password: string, cost: PasswordCost = PASSWORD_COST): Promise<string> {
  if (!costAcceptable(cost)) throw new OutpostError('internal', 'Unsupported scrypt parameters for passwords.');
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, cost, HASH_BYTES);
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface Parsed {
  cost: PasswordCost;
  salt: Buffer;
  hash: Buffer;
}

function parse(encoded: string): Parsed | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [N, r, p] = parts.slice(1, 4).map((n) => (/^[1-9][0-9]{0,9}$/.test(n!) ? Number(n) : NaN)) as [number, number, number];
  const cost = { N, r, p };
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (!costAcceptable(cost) || salt.length < 16 || salt.length > 64 || hash.length < 32 || hash.length > 64) return null;
  return { cost, salt, hash };
}

/**
 * True when `password` hashes to `encoded`. The comparison is constant-time; a malformed or
 * out-of-bounds stored string verifies nothing (false) rather than throwing, so a damaged row looks
 * exactly like a wrong password to the person signing in.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.cost, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when `encoded` was made at a lower cost than `cost` (or cannot be read): hash the password again. */
export function needsRehash(encoded: string, cost: PasswordCost = PASSWORD_COST): boolean {
  const parsed = parse(encoded);
  if (!parsed) return true;
  return parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password at the current cost, made once per process: verified against when the
 * name is unknown (or has no password yet), so a failed sign-in costs the same whether or not the user
 * exists — no timing oracle for the list of names.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url')).catch((err: unknown) => {
    dummy = null; // try again next time rather than keep a failure
    throw err;
  });
  return dummy;
}
