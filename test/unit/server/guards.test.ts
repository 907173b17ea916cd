import { describe, expect, it } from 'vitest';
import { isAllowedFetchSite, isAllowedHost, isAllowedOrigin, secretMatches } from '../../../electron/server/guards';

describe('browser-mode guards', () => {
  it('accepts only loopback hosts on our port', () => {
    expect(isAllowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isAllowedHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isAllowedHost('[::1]:8080', 8080)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:8081', 'evil.com:8080', '127.0.0.1.evil.com:8080', 'localhost.:8080', '0.0.0.0:8080']) {
      expect(isAllowedHost(host, 8080), String(host)).toBe(false);
    }
  });

  it('accepts a missing Origin or our own, nothing else', () => {
    expect(isAllowedOrigin(undefined, 8080)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    for (const origin of ['null', 'https://127.0.0.1:8080', 'http://127.0.0.1:8081', 'http://evil.com', 'file://', '']) {
      expect(isAllowedOrigin(origin, 8080), origin).toBe(false);
    }
  });

  it('accepts same-origin and user-initiated fetches only', () => {
    expect(isAllowedFetchSite(undefined)).toBe(true);
    expect(isAllowedFetchSite('same-origin')).toBe(true);
    expect(isAllowedFetchSite('none')).toBe(true);
    expect(isAllowedFetchSite('same-site')).toBe(false);
    expect(isAllowedFetchSite('cross-site')).toBe(false);
  });

  it('compares secrets exactly', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abd', 'abc')).toBe(false);
    expect(secretMatches('ab', 'abc')).toBe(false);
    expect(secretMatches('', 'abc')).toBe(false);
  });
});
