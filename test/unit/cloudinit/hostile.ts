// Generators of hostile text for the injection tests (unit and integration), and reader cases
// whose PyYAML results were checked against PyYAML itself.
import fc from 'fast-check';
import type { UserDataInput } from '../../../electron/core/cloudinit';
import { checkUserDataInput, type UserDataValues } from '../../../electron/core/cloudinit/userData';
import { base, ECDSA, ED25519, FAKE_AUTH_KEY } from './fixtures';

// Characters that have broken YAML emitters or readers somewhere, mixed with harmless ones.
const TRICKY = [
  '\u2028', '\u2029', '\x85', '\r', '\n', '\r\n', '\t', '\0', '\x7f', '\ufeff', '\ufffe', '\ud800', '\udc00', '\u00a0',
  ':', ': ', ' #', '#', '-', '- ', '"', "'", '\\', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?',
  '=', '<<', '~', 'null', 'on', 'no', '0x1f', '0b1', '1:20', '2001-12-14', '.inf', ' ', 'a', 'Z', '0', '-', 'é', '😀',
];
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 16 }),
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 8 }).map((parts) => parts.join('')),
);

const keyBody = (key: string): string => key.split(' ').slice(0, 2).join(' ');

/** One field perturbed at a time; `names` is how an error must name it. */
export const perturbed: fc.Arbitrary<{ field: string; names: RegExp; input: UserDataInput }> = fc.oneof(
  hostileText.map((s) => ({ field: 'hostname', names: /^hostname\b/, input: { ...base, hostname: s } })),
  hostileText.map((s) => ({ field: 'hostname (with a prefix)', names: /^hostname\b/, input: { ...base, hostname: `web${s}` } })),
  hostileText.map((s) => ({ field: 'tags', names: /^tags?\b/, input: { ...base, tags: ['tag:outpost', `tag:a${s}`] } })),
  hostileText.map((s) => ({ field: 'tags', names: /^tags?\b/, input: { ...base, tags: [s] } })),
  hostileText.map((s) => ({
    field: 'ssh comment',
    names: /^sshAuthorizedKeys\[1\]/,
    input: { ...base, sshAuthorizedKeys: [ED25519, `${keyBody(ECDSA)} ${s}`] },
  })),
  hostileText.map((s) => ({ field: 'ssh line', names: /^sshAuthorizedKeys\[0\]/, input: { ...base, sshAuthorizedKeys: [s] } })),
  hostileText.map((s) => ({ field: 'authKey', names: /^authKey\b/, input: { ...base, authKey: `${FAKE_AUTH_KEY}${s}` } })),
);

/** The same perturbations applied after the allow-lists, straight into the renderer. */
export const unchecked: fc.Arbitrary<{ names: RegExp; values: UserDataValues }> = fc.oneof(
  hostileText.map((s) => ({ names: /^hostname: /, values: { ...checkUserDataInput(base), hostname: `web${s}` } })),
  hostileText.map((s) => ({ names: /^tags: /, values: { ...checkUserDataInput(base), tags: ['tag:outpost', `tag:${s}`] } })),
  hostileText.map((s) => ({ names: /^sshAuthorizedKeys\[1\]: /, values: { ...checkUserDataInput(base), sshKeys: [ED25519, `${keyBody(ECDSA)} ${s}`] } })),
  hostileText.map((s) => ({ names: /^sshAuthorizedKeys\[0\]: /, values: { ...checkUserDataInput(base), sshKeys: [s] } })),
  hostileText.map((s) => ({ names: /^authKey: /, values: { ...checkUserDataInput(base), authKey: `${FAKE_AUTH_KEY}${s}` } })),
);

/** Texts with what PyYAML's SafeLoader loads from them. */
export const PYYAML_CASES: [string, string, unknown][] = [
  ['U+2028 ends a plain scalar', 'a:\n  - x\u2028b:\u2028 c\n', { a: ['x'], b: 'c' }],
  ['U+2029 ends a plain scalar', 'a:\n  - x\u2029b:\u2029 c\n', { a: ['x'], b: 'c' }],
  ['NEL ends a plain scalar', 'a:\n  - x\x85b:\x85 c\n', { a: ['x'], b: 'c' }],
  ['a lone CR ends a plain scalar', 'a:\n  - x\rb:\r c\n', { a: ['x'], b: 'c' }],
  ['CRLF is one break', 'a: x\r\nb: y\r\n', { a: 'x', b: 'y' }],
  ['escapes in double quotes', 'a: "x\\ny\\Lz\\r"\n', { a: 'x\ny\u2028z\r' }],
  ['a BOM inside a value is content', 'a: x\ufeffy\n', { a: 'x\ufeffy' }],
  ['1.1 booleans', 'a: [yes, No, ON, off, y, n]\n', { a: [true, false, true, false, 'y', 'n'] }],
  ['null forms', 'a: ~\nb: null\nc:\n', { a: null, b: null, c: null }],
  ['":" before "," ends a key in a flow sequence; "y" is a string', 'a: [x:,y]\n', { a: [{ x: null }, 'y'] }],
  ['quoted scalars stay strings', 'a: ["on", \'1\', "~"]\n', { a: ['on', '1', '~'] }],
];
