import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inviteLink } from '../../../electron/core/auth/invite-link';
import { API_TOKEN_PREFIX, hashSecret, isSecretShaped, newRowId, newSecret, secretsEqual } from '../../../electron/core/auth/tokens';

describe('bearer secrets', () => {
  it('are 32 random bytes in base64url; API tokens carry a recognisable prefix', () => {
    const session = newSecret('session');
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(session, 'base64url')).toHaveLength(32);
    const api = newSecret('api');
    expect(api.startsWith(API_TOKEN_PREFIX)).toBe(true);
    expect(api.slice(API_TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 200 }, () => newSecret('invite'))).size).toBe(200);
  });

  it('are recognised by shape before any lookup; other values are turned away', () => {
    expect(isSecretShaped('session', newSecret('session'))).toBe(true);
    expect(isSecretShaped('api', newSecret('api'))).toBe(true);
    expect(isSecretShaped('api', newSecret('session'))).toBe(false);
    expect(isSecretShaped('session', newSecret('api'))).toBe(false);
    for (const bad of ['', 'x'.repeat(43) + '=', 'a'.repeat(44), 'a'.repeat(10_000), 'a b'.repeat(15), 42, null, undefined]) {
      expect(isSecretShaped('session', bad)).toBe(false);
    }
  });

  it('are stored as SHA-256 hex, never as themselves', () => {
    const secret = newSecret('session');
    const hash = hashSecret(secret);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
  });

  it('compare equal only when equal, whatever their lengths', () => {
    const csrf = newSecret('csrf');
    expect(secretsEqual(csrf, `${csrf}`)).toBe(true);
    expect(secretsEqual(csrf, csrf.slice(0, -1))).toBe(false);
    expect(secretsEqual(csrf, `${csrf}x`)).toBe(false);
    expect(secretsEqual(csrf, '')).toBe(false);
  });

  it('row ids are prefixed and not secrets', () => {
    expect(newRowId('usr')).toMatch(/^usr_[0-9a-f]{12}$/);
    expect(newRowId('tok')).toMatch(/^tok_[0-9a-f]{12}$/);
  });
});

describe('sign-in link', () => {
  it('puts the token in the fragment, which browsers never send to a server', () => {
    expect(inviteLink('https://outpost.example.com', 'T0K')).toBe('https://outpost.example.com/invite#T0K');
    expect(inviteLink('https://outpost.example.com/', 'T0K')).toBe('https://outpost.example.com/invite#T0K');
    expect(inviteLink('https://example.com/outpost/', 'T0K')).toBe('https://example.com/outpost/invite#T0K');
    expect(inviteLink('http://127.0.0.1:8443', 'T0K')).toBe('http://127.0.0.1:8443/invite#T0K');
  });

  it('refuses a base address that is not a plain http(s) URL, naming base-url', () => {
    for (const bad of ['outpost.example.com', 'ftp://example.com', 'https://user:pw@example.com', 'https://example.com/?a=1', 'https://example.com/#x', 'javascript:alert(1)']) {
      expect(() => inviteLink(bad, 'T0K')).toThrow(/^base-url: /);
    }
    try {
      inviteLink('https://user:hunter2@example.com', 'T0K');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
