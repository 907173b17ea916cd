import { describe, expect, it } from 'vitest';
import { redactUserData, renderUserData } from '../../../electron/core/cloudinit';
import { base, FAKE_AUTH_KEY } from './fixtures';

describe('redactUserData', () => {
  it('masks the auth key and keeps the rest of the document', () => {
    const { text } = renderUserData(base);
    const shown = redactUserData(text);
    expect(shown).not.toContain(FAKE_AUTH_KEY);
    expect(shown).not.toContain('fakefakefake');
    expect(shown).toContain('content: tskey-auth-…[redacted]');
    expect(shown.replace('tskey-auth-…[redacted]', FAKE_AUTH_KEY)).toBe(text);
  });

  it('masks every occurrence', () => {
    expect(redactUserData('a tskey-auth-kX-1 b tskey-auth-kY-2')).toBe('a tskey-auth-…[redacted] b tskey-auth-…[redacted]');
  });
});
