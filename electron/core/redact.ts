// Redaction in one place: every line the logger writes passes through `redact`, and anything else
// that shows text to a person (diagnostics, crash output) should too.
//
// Rules:
//  1. Values registered with `registerSecret` (≥ 6 characters) are replaced by `[redacted]` wherever
//     they occur inside any string, including URLs, messages and stacks.
//  2. Strings: `tskey-<kind>-…` becomes `tskey-<kind>-[redacted]`; `Bearer <x>` / `Basic <x>` (x ≥ 8 chars) keep
//     the scheme only; `user:password@` in URLs loses the password; form/query parameters named like
//     secrets (`client_secret=…`, `access_token=…`) lose their value.
//  3. Object keys: a key is secret when its LAST word (camelCase, snake_case and kebab-case are
//     split) names a secret — authorization, secret, token, password, passphrase, cookie,
//     credential(s) — or its last two words are "api key", "auth key", "private key", "secret key"
//     or "access key". Such values become `[redacted]` whatever their type (null, undefined and
//     booleans are kept: they say whether something is set, not what it is). So `accessToken`,
//     `client_secret`, `x-api-key`, `Set-Cookie` are masked and `tokenStatus`, `keyId`,
//     `authKeyId`, `tokenExpiresAt` are kept.
//  4. Errors become {name, message, code?, hint?, step?, apiCode?, cause?}; the stack only on request.
//  5. Cycles become `[circular]`; nesting deeper than MAX_DEPTH becomes `[truncated]`; a getter that
//     throws becomes `[unreadable]`. `redact` itself never throws.

export const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 12;

const registered = new Set<string>();
// Longest first, so that a secret containing another registered one is masked whole.
let registeredSorted: string[] = [];

/** Masks `value` in everything redacted from now on. Shorter values are ignored: they would shred ordinary text. */
export function registerSecret(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || registered.has(value)) return;
  registered.add(value);
  registeredSorted = [...registered].sort((a, b) => b.length - a.length);
}

/** For tests and for a vault that forgets its tokens. */
export function unregisterSecret(value: string): void {
  if (registered.delete(value)) registeredSorted = [...registered].sort((a, b) => b.length - a.length);
}

export function clearRegisteredSecrets(): void {
  registered.clear();
  registeredSorted = [];
}

const TSKEY = /\btskey-([a-z]+)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/g;
// Capitalised only, and a credential of 8+ token68 characters: "basic checks" in prose stays readable.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// The password runs to the last @ before the host: one typed with a raw @ (postgres://u:p@ss@db/x, which
// drivers accept) is masked whole, not cut at its own @ with the rest left showing.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/]+@/gi;
const SECRET_PARAM =
  /\b((?:client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|auth[_-]?key|password|passphrase|token|secret)=)[^&\s"']+/gi;

export function redactString(text: string): string {
  let out = text;
  for (const secret of registeredSorted) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(TSKEY, (_m, kind: string) => `tskey-${kind}-${REDACTED}`)
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(URL_PASSWORD, (_m, prefix: string) => `${prefix}${REDACTED}@`)
    .replace(SECRET_PARAM, (_m, name: string) => `${name}${REDACTED}`);
}

const SECRET_LAST_WORDS = new Set([
  'authorization',
  'secret',
  'secrets',
  'token',
  'tokens',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  // all-lowercase spellings arrive as one word
  'apikey',
  'authkey',
  'privatekey',
  'accesstoken',
  'clientsecret',
]);
const SECRET_LAST_PAIRS = new Set(['api key', 'auth key', 'private key', 'secret key', 'access key']);

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretKey(key: string): boolean {
  const w = words(key);
  const last = w.at(-1);
  if (last === undefined) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  return w.length >= 2 && SECRET_LAST_PAIRS.has(`${w.at(-2)} ${last}`);
}

export interface RedactOptions {
  /** Include (redacted) stacks of errors; the logger asks for them at debug level only. */
  stacks?: boolean;
}

const ERROR_FIELDS = ['code', 'hint', 'step', 'apiCode', 'status'] as const;

export function redact(value: unknown, options: RedactOptions = {}): unknown {
  try {
    return walk(value, options, new WeakSet(), 0);
  } catch {
    return '[unredactable]';
  }
}

function walk(value: unknown, options: RedactOptions, seen: WeakSet<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return walkError(value, options, seen, depth);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof URL) return redactString(value.href);
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((item) => walkSafe(item, options, seen, depth + 1));
    if (value instanceof Map) return walkEntries([...value.entries()].map(([k, v]) => [String(k), v]), options, seen, depth);
    if (value instanceof Set) return [...value].map((item) => walkSafe(item, options, seen, depth + 1));
    return walkEntries(Object.keys(value).map((k) => [k, readProperty(value, k)]), options, seen, depth);
  } finally {
    // A value reached twice along different paths is not a cycle; only the current path counts.
    seen.delete(value);
  }
}

const UNREADABLE = Symbol('unreadable');

function readProperty(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

function walkSafe(value: unknown, options: RedactOptions, seen: WeakSet<object>, depth: number): unknown {
  if (value === UNREADABLE) return '[unreadable]';
  try {
    return walk(value, options, seen, depth);
  } catch {
    return '[unreadable]';
  }
}

function walkEntries(
  entries: [string, unknown][],
  options: RedactOptions,
  seen: WeakSet<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, val] of entries) {
    const safeKey = redactString(key);
    if (isSecretKey(key) && val !== null && val !== undefined && typeof val !== 'boolean') out[safeKey] = REDACTED;
    else out[safeKey] = walkSafe(val, options, seen, depth + 1);
  }
  return out;
}

function walkError(err: Error, options: RedactOptions, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: redactString(String(readProperty(err, 'name') ?? 'Error')),
    message: redactString(String(readProperty(err, 'message') ?? '')),
  };
  for (const field of ERROR_FIELDS) {
    const v = readProperty(err, field);
    if (v !== undefined && v !== UNREADABLE) out[field] = walkSafe(v, options, seen, depth + 1);
  }
  const cause = readProperty(err, 'cause');
  if (cause !== undefined && cause !== UNREADABLE) out.cause = walkSafe(cause, options, seen, depth + 1);
  if (options.stacks) {
    const stack = readProperty(err, 'stack');
    if (typeof stack === 'string') out.stack = redactString(stack);
  }
  return out;
}
