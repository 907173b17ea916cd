// What the vault agrees to store (electron/core/vault/names.ts): known names only, and values that
// come back exactly as given — refused with invalid_input naming the secret, never quoting it.
// Written to kill mutants StrykerJS found surviving (bench/results/mutation-survivors.md).
import { describe, expect, it } from 'vitest';
import { assertStorable, isSecretName, MAX_SECRET_LENGTH, SECRET_NAMES } from '../../../electron/core/vault/names';

describe('isSecretName', () => {
  it('knows exactly the three secret names, nothing else', () => {
    for (const n of SECRET_NAMES) expect(isSecretName(n), n).toBe(true);
    for (const v of ['hetznertoken', 'token', '', 42, null, undefined, ['hetznerToken']]) expect(isSecretName(v), String(v)).toBe(false);
  });
});

describe('assertStorable', () => {
  it('accepts any well-formed text up to the limit', () => {
    expect(() => assertStorable('hetznerToken', 'x'.repeat(MAX_SECRET_LENGTH))).not.toThrow();
    expect(() => assertStorable('tailscaleClientSecret', 'tskey-client-é😀')).not.toThrow();
  });

  it('refuses empty, non-text, too long and lone surrogates, naming the secret and never the value', () => {
    const refusal = (name: Parameters<typeof assertStorable>[0], value: unknown) => {
      try {
        assertStorable(name, value);
      } catch (err) {
        return { code: (err as { code: string }).code, message: (err as Error).message };
      }
      return null;
    };
    expect(refusal('hetznerToken', '')).toEqual({ code: 'invalid_input', message: 'The Hetzner API token is empty.' });
    expect(refusal('tailscaleClientId', 42)).toEqual({ code: 'invalid_input', message: 'The Tailscale OAuth client id is empty.' });
    expect(refusal('hetznerToken', 's'.repeat(MAX_SECRET_LENGTH + 1))).toEqual({ code: 'invalid_input', message: `The Hetzner API token is too long (over ${MAX_SECRET_LENGTH} characters).` });
    expect(refusal('tailscaleClientSecret', 'secret-\uD800-value')).toEqual({ code: 'invalid_input', message: 'The Tailscale OAuth client secret contains an invalid character.' });
    expect(refusal('tailscaleClientSecret', 'secret-\uDC00')).toMatchObject({ message: expect.stringContaining('invalid character') });
  });
});
