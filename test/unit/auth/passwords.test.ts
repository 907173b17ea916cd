import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { PASSWORD_COST, checkPasswordPolicy, dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../../../electron/core/auth/passwords';

const refusal = (fn: () => unknown): OutpostError => {
  try {
    fn();
  } catch (err) {
    return err as OutpostError;
  }
  throw new Error('expected a refusal');
};

describe('password hashing (scrypt)', () => {
  it('writes its parameters and a fresh salt into the stored string, and never the password', async () => {
    const password = 'tall ladder 42 orange';
    const a = await hashPassword(password);
    const b = await hashPassword(password);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(PASSWORD_COST).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(a).not.toBe(b); // a salt per hash: equal passwords do not give equal rows
    expect(a).not.toContain(password);
    expect(a).not.toContain(Buffer.from(password).toString('base64url'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('tall ladder 42 orange');
    expect(await verifyPassword('tall ladder 42 orange', stored)).toBe(true);
    expect(await verifyPassword('tall ladder 42 orangE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats "é" typed as one or as two code points as the same password (NFC)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 1234');
    expect(await verifyPassword('cafe\u0301 au lait 1234', stored)).toBe(true);
  });

  it('verifies nothing, without throwing, for a damaged or out-of-bounds stored string', async () => {
    const stored = await hashPassword('tall ladder 42 orange');
    const [, , r, p, salt, hash] = stored.split('$');
    for (const bad of [
      '',
      'plain-text-password',
      stored.replace(/^scrypt/, 'bcrypt'),
      ['scrypt', 2 ** 30, r, p, salt, hash].join('$'), // would allocate gigabytes
      ['scrypt', 2 ** 10, r, p, salt, hash].join('$'), // too cheap to mean anything
      ['scrypt', 32767, r, p, salt, hash].join('$'), // not a power of two
      ['scrypt', '0x8000', r, p, salt, hash].join('$'),
      ['scrypt', 2 ** 15, r, p, 'c2hvcnQ', hash].join('$'), // salt too short
      `${stored}$extra`,
    ]) {
      expect(await verifyPassword('tall ladder 42 orange', bad)).toBe(false);
    }
  });

  it('says when a stored hash is below the current cost, so it can be raised at the next sign-in', async () => {
    const cheaper = await hashPassword('tall ladder 42 orange', { N: 2 ** 14, r: 8, p: 1 });
    expect(await verifyPassword('tall ladder 42 orange', cheaper)).toBe(true);
    expect(needsRehash(cheaper)).toBe(true);
    expect(needsRehash(await hashPassword('tall ladder 42 orange'))).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });

  it('refuses to hash at parameters outside the bounds', async () => {
    await expect(hashPassword('tall ladder 42 orange', { N: 2 ** 8, r: 8, p: 1 })).rejects.toMatchObject({ code: 'internal' });
  });

  it('keeps one dummy hash per process, which no password opens by chance', async () => {
    const a = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(a);
    expect(a).toMatch(/^scrypt\$32768\$/);
    expect(await verifyPassword('', a)).toBe(false);
  });
});

describe('password policy', () => {
  it('accepts 12 characters of two kinds and returns the NFC form', () => {
    expect(checkPasswordPolicy('correct horse')).toBe('correct horse');
    expect(checkPasswordPolicy('Abcdefghijkl')).toBe('Abcdefghijkl');
    expect(checkPasswordPolicy('cafe\u0301 au lait')).toBe('caf\u00e9 au lait');
    expect(checkPasswordPolicy('\u6b63\u3057\u3044\u99ac\u96fb\u6c60\u30db\u30c1\u30ad\u30b9 12')).toHaveLength(13);
  });

  it('refuses fewer than 12 characters, naming the field and the whole rule, never the password', () => {
    const err = refusal(() => checkPasswordPolicy('Short 1!', 'newPassword'));
    expect(err).toBeInstanceOf(OutpostError);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/^newPassword: has 8 characters; a password needs at least 12 characters, not all of one kind/);
    expect(err.message).not.toContain('Short 1!');
  });

  it('counts characters, not UTF-16 units: 11 emoji are 11 characters', () => {
    expect(refusal(() => checkPasswordPolicy('\u{1F600}'.repeat(11))).message).toContain('has 11 characters');
  });

  it('refuses a password of one kind only: all lowercase, all digits, all capitals, all symbols', () => {
    for (const one of ['correcthorsebattery', '123456789012', 'CORRECTHORSEBATTERY', '!!!!!!!!!!!!!!', 'aaaaaaaaaaaaaaaa']) {
      const err = refusal(() => checkPasswordPolicy(one));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toContain('all of one kind');
      expect(err.message).not.toContain(one);
    }
  });

  it('refuses the user\'s own name, an over-long password and a non-string', () => {
    expect(refusal(() => checkPasswordPolicy('Ana Lopez 1984', 'password', 'ana lopez 1984')).message).toMatch(/is the user's name/);
    expect(refusal(() => checkPasswordPolicy('aB1'.repeat(100))).message).toMatch(/at most 256/);
    expect(refusal(() => checkPasswordPolicy(12345678901234)).code).toBe('invalid_input');
  });
});
