// The vault file: one JSON document, every secret as `<format tag>:<base64 ciphertext>` (DESIGN §6).
//
//   {
//     "kind": "outpost-vault", "version": 1,
//     "cipher": "v1:gcm",                                   // or "v1:safe" (Electron safeStorage)
//     "kdf": { "name": "scrypt", "N": 32768, "r": 8, "p": 1, "salt": "<base64, 16 bytes>" },  // gcm only
//     "check": "v1:gcm:<base64>",                           // CHECK_PLAINTEXT encrypted with the key
//     "entries": { "hetznerToken": { "value": "v1:gcm:<base64>", "updatedAt": "<ISO>" }, … }
//   }
//
// Entry names and dates are not secret (they are what `status()` shows). Each entry's plaintext is
// `{"n":<name>,"v":<value>}`, so a ciphertext moved under another name is detected on decrypt.
import { z } from 'zod';
import { GCM_FORMAT, MIN_GCM_CIPHERTEXT, SALT_BYTES, scryptParamsAcceptable } from './gcm-cipher';

export const SAFE_FORMAT = 'v1:safe';
export const KNOWN_FORMATS = [GCM_FORMAT, SAFE_FORMAT] as const;
export type VaultFormat = (typeof KNOWN_FORMATS)[number];
export const isKnownFormat = (f: string): f is VaultFormat => (KNOWN_FORMATS as readonly string[]).includes(f);

export const VAULT_KIND = 'outpost-vault';
export const CHECK_PLAINTEXT = 'outpost-vault-check:v1';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TAGGED = /^(v\d+:[a-z0-9]+):([A-Za-z0-9+/=]*)$/;

/** Splits `v1:gcm:AAAA` into tag and bytes; null when it is not that shape. */
export function parseTagged(text: string): { format: string; bytes: Buffer } | null {
  const m = TAGGED.exec(text);
  if (!m || !BASE64.test(m[2] as string)) return null;
  return { format: m[1] as string, bytes: Buffer.from(m[2] as string, 'base64') };
}

export const encodeTagged = (format: string, bytes: Buffer): string => `${format}:${bytes.toString('base64')}`;

const KdfSchema = z.object({
  name: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
});

const EntrySchema = z.object({ value: z.string(), updatedAt: z.string() });

// Loose on purpose at this stage: the cipher is checked separately so that an unknown one gets
// its own message rather than a generic schema failure.
const DocumentSchema = z.object({
  kind: z.literal(VAULT_KIND),
  version: z.literal(1),
  cipher: z.string(),
  kdf: KdfSchema.optional(),
  check: z.string(),
  entries: z.record(z.string(), EntrySchema),
});
export type VaultDocument = z.infer<typeof DocumentSchema> & { cipher: VaultFormat };

export type ParseResult = { ok: true; doc: VaultDocument } | { ok: false; reason: string };

/** Validates everything that can be checked without the key. Never echoes file content. */
export function parseVault(bytes: Buffer): ParseResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the file is not valid JSON (truncated or damaged)' };
  }
  const parsed = DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'top level';
    return { ok: false, reason: `the file does not have the vault layout (at ${where})` };
  }
  const doc = parsed.data;
  if (!isKnownFormat(doc.cipher)) {
    const shown = doc.cipher.replace(/[^\w:.-]/g, '?').slice(0, 32);
    return { ok: false, reason: `it uses an unknown format '${shown}' (written by a newer Outpost?)` };
  }
  if (doc.cipher === GCM_FORMAT) {
    if (!doc.kdf) return { ok: false, reason: 'the key-derivation header is missing' };
    const salt = BASE64.test(doc.kdf.salt) ? Buffer.from(doc.kdf.salt, 'base64') : null;
    if (!salt || salt.length !== SALT_BYTES) return { ok: false, reason: 'the key-derivation salt is damaged' };
    if (!scryptParamsAcceptable(doc.kdf)) return { ok: false, reason: 'the key-derivation parameters are out of range' };
  }
  const minBytes = doc.cipher === GCM_FORMAT ? MIN_GCM_CIPHERTEXT : 1;
  const tagged = [['check', doc.check], ...Object.entries(doc.entries).map(([n, e]) => [n, e.value])] as const;
  for (const [name, text] of tagged) {
    const t = parseTagged(text);
    if (!t) return { ok: false, reason: `the value of '${safeName(name)}' is not a tagged ciphertext` };
    if (t.format !== doc.cipher) return { ok: false, reason: `the value of '${safeName(name)}' has format tag '${t.format}', not '${doc.cipher}'` };
    if (t.bytes.length < minBytes) return { ok: false, reason: `the value of '${safeName(name)}' is truncated` };
  }
  return { ok: true, doc: doc as VaultDocument };
}

const safeName = (name: string): string => name.replace(/[^\w-]/g, '?').slice(0, 40);

export function serializeVault(doc: VaultDocument): Buffer {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
}

/** The entry plaintext: binds the value to its name. */
export const packEntry = (name: string, value: string): string => JSON.stringify({ n: name, v: value });

export function unpackEntry(name: string, plaintext: string): string | null {
  try {
    const o = JSON.parse(plaintext) as { n?: unknown; v?: unknown };
    return o.n === name && typeof o.v === 'string' ? o.v : null;
  } catch {
    return null;
  }
}
