// Arbitrary Unicode through every operator-supplied field: either the rendered text reads back
// (as PyYAML would read it) as exactly the object meant, or the input is refused with
// invalid_input naming that field. Once with the allow-lists, once through the renderer seam
// with them bypassed, so the read-back is shown to hold on its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_TOP_LEVEL_KEYS, buildCloudConfig, renderUserData, type UserDataInput } from '../../../electron/core/cloudinit';
import { readLikePyYaml } from '../../../electron/core/cloudinit/pyyaml';
import { assembleCloudConfig, checkUserDataInput, renderValues, type UserDataValues } from '../../../electron/core/cloudinit/userData';
import { vmName } from '../../../electron/core/provisioning/naming';
import { OutpostError } from '../../../shared/errors';
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

function expectNamedRefusal(err: unknown, names: RegExp, authKey: string): void {
  expect(err).toBeInstanceOf(OutpostError);
  const e = err as OutpostError;
  expect(e.code, e.message).toBe('invalid_input');
  expect(e.message).toMatch(names);
  expect(e.hint).toBeTruthy();
  if (authKey.length >= 8) expect(`${e.message} ${e.hint}`).not.toContain(authKey);
}

describe('arbitrary Unicode in every field', () => {
  it('renders text that PyYAML reads as the object meant, or is refused naming the field', () => {
    fc.assert(
      fc.property(perturbed, ({ names, input }) => {
        let text: string;
        try {
          text = renderUserData(input).text;
        } catch (err) {
          expectNamedRefusal(err, names, input.authKey);
          return;
        }
        const read = readLikePyYaml(text) as Record<string, unknown>;
        expect(read).toEqual(buildCloudConfig(input));
        for (const key of Object.keys(read)) expect(ALLOWED_TOP_LEVEL_KEYS).toContain(key);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('never refuses an agent name: it reaches user-data only as the slug in the VM name', () => {
    fc.assert(
      fc.property(hostileText, (agentName) => {
        const hostname = vmName(agentName);
        const text = renderUserData({ ...base, hostname }).text;
        expect((readLikePyYaml(text) as { hostname: string }).hostname).toBe(hostname);
        // None of the agent's own text survives beyond what the slug allows.
        expect(hostname).toMatch(/^[a-z0-9-]+$/);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

/** The same perturbations applied after the allow-lists, straight into the renderer. */
const unchecked: fc.Arbitrary<{ names: RegExp; values: UserDataValues }> = fc.oneof(
  hostileText.map((s) => ({ names: /^hostname: /, values: { ...checkUserDataInput(base), hostname: `web${s}` } })),
  hostileText.map((s) => ({ names: /^tags: /, values: { ...checkUserDataInput(base), tags: ['tag:outpost', `tag:${s}`] } })),
  hostileText.map((s) => ({ names: /^sshAuthorizedKeys\[1\]: /, values: { ...checkUserDataInput(base), sshKeys: [ED25519, `${keyBody(ECDSA)} ${s}`] } })),
  hostileText.map((s) => ({ names: /^sshAuthorizedKeys\[0\]: /, values: { ...checkUserDataInput(base), sshKeys: [s] } })),
  hostileText.map((s) => ({ names: /^authKey: /, values: { ...checkUserDataInput(base), authKey: `${FAKE_AUTH_KEY}${s}` } })),
);

describe('the read-back on its own (allow-lists bypassed)', () => {
  it('lets through only text that reads back as the object meant, and names the field otherwise', () => {
    let refused = 0;
    fc.assert(
      fc.property(unchecked, ({ names, values }) => {
        let text: string;
        try {
          text = renderValues(values).text;
        } catch (err) {
          refused += 1;
          expectNamedRefusal(err, names, values.authKey);
          return;
        }
        expect(readLikePyYaml(text)).toEqual(assembleCloudConfig(values));
      }),
      { numRuns: 400 },
    );
    // The generator really reaches the read-back's refusals, not only its happy path.
    expect(refused).toBeGreaterThan(20);
  }, 60_000);
});
