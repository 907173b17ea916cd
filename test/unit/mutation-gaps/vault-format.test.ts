// The vault file's parser and the scrypt bounds (electron/core/vault/format.ts, gcm-cipher.ts), pure
// and without a passphrase: every refusal names what is wrong, never echoes the file, and the bounds
// keep an edited header from weakening or exhausting the key derivation. Written to kill mutants
// StrykerJS found surviving the vault tests (bench/results/mutation-survivors.md).
import { describe, expect, it } from 'vitest';
import { packEntry, parseTagged, parseVault, serializeVault, unpackEntry, type VaultDocument } from '../../../electron/core/vault/format';
import { GCM_FORMAT, MIN_GCM_CIPHERTEXT, scryptMaxmem, scryptParamsAcceptable, weakerThan } from '../../../electron/core/vault/gcm-cipher';

const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
const gcm = (n = MIN_GCM_CIPHERTEXT) => `${GCM_FORMAT}:${b64(n)}`;
const doc = (over: Record<string, unknown> = {}) => ({
  kind: 'outpost-vault',
  version: 1,
  cipher: GCM_FORMAT,
  kdf: { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: b64(16) },
  check: gcm(),
  entries: { hetznerToken: { value: gcm(), updatedAt: '2026-08-20T10:00:00.000Z' } },
  ...over,
});
const parse = (value: unknown) => parseVault(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseVault', () => {
  it('accepts a well-formed document and serializes it back to the same JSON, newline-terminated', () => {
    const r = parse(doc());
    expect(r).toEqual({ ok: true, doc: doc() });
    const bytes = serializeVault(doc() as VaultDocument);
    expect(bytes.toString('utf8')).toBe(`${JSON.stringify(doc(), null, 2)}\n`);
  });

  it('names each way a file can be wrong', () => {
    expect(parse('')).toEqual({ ok: false, reason: 'the file is empty' });
    expect(parse('{"kind"')).toEqual({ ok: false, reason: 'the file is not valid JSON (truncated or damaged)' });
    expect(parse([])).toEqual({ ok: false, reason: 'the file does not have the vault layout (at top level)' });
    expect(parse(doc({ kind: 'other' }))).toEqual({ ok: false, reason: 'the file does not have the vault layout (at kind)' });
    expect(parse(doc({ cipher: 'v9:n€w"<x>' }))).toEqual({ ok: false, reason: "it uses an unknown format 'v9:n?w??x?' (written by a newer Outpost?)" });
    expect(parse(doc({ kdf: undefined }))).toEqual({ ok: false, reason: 'the key-derivation header is missing' });
    expect(parse(doc({ kdf: { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'not base64!' } }))).toEqual({ ok: false, reason: 'the key-derivation salt is damaged' });
    expect(parse(doc({ kdf: { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: b64(15) } }))).toEqual({ ok: false, reason: 'the key-derivation salt is damaged' });
    expect(parse(doc({ kdf: { name: 'scrypt', N: 2 ** 21, r: 8, p: 1, salt: b64(16) } }))).toEqual({ ok: false, reason: 'the key-derivation parameters are out of range' });
    expect(parse(doc({ check: 'plain text' }))).toEqual({ ok: false, reason: "the value of 'check' is not a tagged ciphertext" });
    expect(parse(doc({ entries: { 'a b/c': { value: 'v1:safe:AAAA', updatedAt: 'x' } } }))).toEqual({ ok: false, reason: "the value of 'a?b?c' has format tag 'v1:safe', not 'v1:gcm'" });
    expect(parse(doc({ check: gcm(MIN_GCM_CIPHERTEXT - 1) }))).toEqual({ ok: false, reason: "the value of 'check' is truncated" });
  });

  it('names a nested field by its dotted path, and shows at most 32 characters of a format and 40 of a name', () => {
    expect(parse(doc({ kdf: { name: 'scrypt', N: 'many', r: 8, p: 1, salt: b64(16) } }))).toEqual({ ok: false, reason: 'the file does not have the vault layout (at kdf.N)' });
    expect(parse(doc({ cipher: `v9:${'x'.repeat(60)}` }))).toEqual({ ok: false, reason: `it uses an unknown format 'v9:${'x'.repeat(29)}' (written by a newer Outpost?)` });
    expect(parse(doc({ entries: { ['n'.repeat(60)]: { value: 'plain', updatedAt: 'x' } } }))).toEqual({ ok: false, reason: `the value of '${'n'.repeat(40)}' is not a tagged ciphertext` });
  });

  it('a safeStorage vault needs no key-derivation header and at least one byte per value', () => {
    expect(parse(doc({ cipher: 'v1:safe', kdf: undefined, check: 'v1:safe:AA==', entries: {} }))).toMatchObject({ ok: true });
    expect(parse(doc({ cipher: 'v1:safe', kdf: undefined, check: 'v1:safe:', entries: {} }))).toEqual({ ok: false, reason: "the value of 'check' is truncated" });
  });
});

describe('tagged values and entries', () => {
  it('parseTagged splits tag and bytes, and refuses what is not base64', () => {
    expect(parseTagged('v1:gcm:AAEC')).toEqual({ format: 'v1:gcm', bytes: Buffer.from([0, 1, 2]) });
    expect(parseTagged('v1:gcm:AAE')).toBeNull();
    expect(parseTagged('gcm:AAEC')).toBeNull();
  });

  it('an entry opens only under its own name, and only as text', () => {
    expect(unpackEntry('hetznerToken', packEntry('hetznerToken', 'tok'))).toBe('tok');
    expect(unpackEntry('tailscaleClientSecret', packEntry('hetznerToken', 'tok'))).toBeNull();
    expect(unpackEntry('hetznerToken', JSON.stringify({ n: 'hetznerToken', v: 5 }))).toBeNull();
    expect(unpackEntry('hetznerToken', 'not json')).toBeNull();
  });
});

describe('scrypt bounds', () => {
  it('accepts powers of two from 2^10 to 2^20 with r = 8 and p from 1 to 4, nothing else', () => {
    for (const N of [2 ** 10, 2 ** 17, 2 ** 20]) expect(scryptParamsAcceptable({ N, r: 8, p: 1 }), `N=${N}`).toBe(true);
    expect(scryptParamsAcceptable({ N: 2 ** 15, r: 8, p: 4 })).toBe(true);
    for (const N of [2 ** 9, 2 ** 21, 3 * 2 ** 12, 2 ** 15 + 0.5, 1, 0, -(2 ** 15)]) expect(scryptParamsAcceptable({ N, r: 8, p: 1 }), `N=${N}`).toBe(false);
    expect(scryptParamsAcceptable({ N: 2 ** 15, r: 7, p: 1 })).toBe(false);
    expect(scryptParamsAcceptable({ N: 2 ** 15, r: 8, p: 0 })).toBe(false);
    expect(scryptParamsAcceptable({ N: 2 ** 15, r: 8, p: 5 })).toBe(false);
  });

  it('a vault is weaker when any parameter is lower', () => {
    const target = { N: 2 ** 17, r: 8, p: 2 };
    expect(weakerThan({ N: 2 ** 15, r: 8, p: 2 }, target)).toBe(true);
    expect(weakerThan({ N: 2 ** 17, r: 4, p: 2 }, target)).toBe(true);
    expect(weakerThan({ N: 2 ** 17, r: 8, p: 1 }, target)).toBe(true);
    expect(weakerThan(target, target)).toBe(false);
    expect(weakerThan({ N: 2 ** 18, r: 8, p: 2 }, target)).toBe(false);
  });

  it('maxmem is twice what scrypt needs (128·N·r·p)', () => {
    expect(scryptMaxmem({ N: 2 ** 17, r: 8, p: 2 })).toBe(2 * 128 * 2 ** 17 * 8 * 2);
  });
});
