// Injection into cloud-init, closed as a class (issue 11, item 3). The attack that was found: an
// SSH key comment with U+2028, written as a plain scalar, which PyYAML reads as a line break, so
// the rest of the comment became top-level cloud-config modules.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isOpenSshPublicKey, renderUserData, type UserDataInput } from '../../../electron/core/cloudinit';
import { readLikePyYaml } from '../../../electron/core/cloudinit/pyyaml';
import { readBackDivergence } from '../../../electron/core/cloudinit/readBack';
import { assembleCloudConfig, checkUserDataInput, renderValues, serializeCloudConfig, type UserDataValues } from '../../../electron/core/cloudinit/userData';
import { MemorySettings, updateSettings } from '../../../electron/core/settings';
import { OutpostError } from '../../../shared/errors';
import { ATTACK_KEY, base, ED25519, FAKE_AUTH_KEY } from './fixtures';

function refusal(run: () => unknown): OutpostError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(OutpostError);
    const e = err as OutpostError;
    expect(e.code).toBe('invalid_input');
    expect(e.hint).toBeTruthy();
    expect(`${e.message} ${e.hint}`).not.toContain(FAKE_AUTH_KEY);
    return e;
  }
  throw new Error('expected the input to be refused');
}

const checkedBase = (): UserDataValues => checkUserDataInput(base);

describe('the reported U+2028 attack', () => {
  it('is refused by the SSH key allow-list, naming the key and the character', () => {
    const e = refusal(() => renderUserData({ ...base, sshAuthorizedKeys: [ATTACK_KEY] }));
    expect(e.message).toMatch(/^sshAuthorizedKeys\[0\] is not an OpenSSH public key: its comment contains U\+2028/);
    expect(e.step).toBe('render_user_data');
  });

  it('is refused when stored in the settings, which store nothing', () => {
    expect(isOpenSshPublicKey(ATTACK_KEY)).toBe(false);
    const store = new MemorySettings();
    refusal(() => updateSettings(store, { sshKeys: [ED25519, ATTACK_KEY] }));
    expect(store.get('sshKeys')).toBeUndefined();
  });

  it('is caught by the read-back alone when the allow-list is bypassed', () => {
    const values = { ...checkedBase(), sshKeys: [ATTACK_KEY] };
    const config = assembleCloudConfig(values);
    const text = serializeCloudConfig(config);
    // What made it dangerous: YAML 1.2 (the `yaml` package, the old check) sees the object meant ...
    expect(parse(text, { version: '1.1' })).toEqual(config);
    // ... PyYAML's line breaks do not: the comment is cut and the modules appear at the top level.
    const asCloudInit = readLikePyYaml(text) as Record<string, unknown>;
    expect(asCloudInit).toMatchObject({ users: [{ name: 'mallory', sudo: 'ALL=(ALL) NOPASSWD:ALL' }], ssh_pwauth: true, power_state: { mode: 'reboot' } });
    expect(readBackDivergence(text, config)?.path).toEqual(['ssh_authorized_keys', 0]);

    const e = refusal(() => renderValues(values));
    expect(e.message).toMatch(/^sshAuthorizedKeys\[0\]: user-data would not read back as written/);
    expect(e.message).toMatch(/nothing was sent/);
  });
});

// Every PyYAML line break and a few other characters that must never reach user-data.
const HOSTILE = { NEL: '\x85', LS: '\u2028', PS: '\u2029', CR: '\r', LF: '\n', TAB: '\t', NUL: '\0', BOM: '\ufeff' };
const FIELDS: [string, RegExp, (bad: string) => UserDataInput][] = [
  ['hostname', /^hostname /, (bad) => ({ ...base, hostname: `web${bad}x` })],
  ['tag', /^tag /, (bad) => ({ ...base, tags: ['tag:outpost', `tag:a${bad}b`] })],
  ['SSH key comment', /^sshAuthorizedKeys\[1\] /, (bad) => ({ ...base, sshAuthorizedKeys: [ED25519, `${ED25519}${bad}x: 1`] })],
  ['SSH key type', /^sshAuthorizedKeys\[0\] /, (bad) => ({ ...base, sshAuthorizedKeys: [`ssh-ed25519${bad}${ED25519.slice(11)}`] })],
  ['auth key', /^authKey /, (bad) => ({ ...base, authKey: `${FAKE_AUTH_KEY}${bad}x` })],
];

describe('allow-lists', () => {
  for (const [field, names, input] of FIELDS) {
    it.each(Object.entries(HOSTILE))(`refuse ${field} with %s, naming the field`, (_name, bad) => {
      expect(refusal(() => renderUserData(input(bad))).message).toMatch(names);
    });
  }

  it('refuse an SSH comment outside printable ASCII and accept every printable ASCII character', () => {
    expect(isOpenSshPublicKey(`${ED25519} José`)).toBe(false);
    expect(isOpenSshPublicKey(`${ED25519} a\u00a0b`)).toBe(false);
    let printable = '';
    for (let c = 0x20; c <= 0x7e; c++) printable += String.fromCharCode(c);
    expect(isOpenSshPublicKey(`${ED25519} ${printable}`)).toBe(true);
    const key = `${ED25519} ${printable.trim()}`;
    expect(readLikePyYaml(renderUserData({ ...base, sshAuthorizedKeys: [key] }).text)).toMatchObject({ ssh_authorized_keys: [key] });
  });
});

describe('the read-back, with the allow-lists bypassed', () => {
  const cases: [string, Partial<UserDataValues>, RegExp][] = [
    ['a hostname split by U+2029', { hostname: `web\u2029ssh_pwauth:\u2029 true` }, /^hostname: /],
    ['a tag split by NEL', { tags: [`tag:a\x85runcmd:\x85- [id]`] }, /^tags: /],
    ['a key line PyYAML reads as a merge key', { sshKeys: ['<<'] }, /^sshAuthorizedKeys\[0\]: .*merge/],
    ['a key line PyYAML cannot construct', { sshKeys: ['='] }, /^sshAuthorizedKeys\[0\]: .*value/],
    ['a control character PyYAML refuses to read', { sshKeys: [ED25519, `${ED25519} \x7f`] }, /^sshAuthorizedKeys\[1\]: .*U\+007F/],
    ['an auth key split by LS', { authKey: `${FAKE_AUTH_KEY}\u2028runcmd: []` }, /^authKey: /],
  ];
  it.each(cases)('refuses %s, naming the field', (_name, bad, names) => {
    const e = refusal(() => renderValues({ ...checkedBase(), ...bad }));
    expect(e.message).toMatch(names);
  });

  it('accepts what reads back the same, even outside the allow-lists', () => {
    const values = { ...checkedBase(), sshKeys: [`${ED25519} José ünïcödé`] };
    expect(readLikePyYaml(renderValues(values).text)).toEqual(assembleCloudConfig(values));
  });
});
