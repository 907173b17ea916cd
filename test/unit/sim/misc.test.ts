import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed, isoSeconds } from '../../../electron/sim/clock';
import { parseFaultFlag, parseRateLimit } from '../../../electron/sim/flags';
import { Faults } from '../../../electron/sim/faults';
import { TokenBucket } from '../../../electron/sim/hetzner/ratelimit';
import { sshFingerprint } from '../../../electron/sim/hetzner/sshkeys';
import { isRfc1123Hostname } from '../../../electron/sim/hetzner/servers';
import { resolveProfile } from '../../../electron/sim/profile';
import { scopeCovers } from '../../../electron/sim/tailscale/context';
import { machineName, sameTags, uniqueName } from '../../../electron/sim/tailscale/names';
import type { DeviceRecord } from '../../../electron/sim/model';

describe('seeded randomness', () => {
  it('repeats for the same seed and differs per stream', () => {
    const a = new Rng(deriveSeed(1, 'world'));
    const b = new Rng(deriveSeed(1, 'world'));
    const c = new Rng(deriveSeed(1, 'requests'));
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (let i = 0; i < 1000; i++) {
      const n = a.int(3, 7);
      expect(n >= 3 && n <= 7).toBe(true);
    }
  });

  it('formats RFC 3339 with second precision and Z', () => {
    expect(isoSeconds(Date.UTC(2026, 0, 18, 15, 29, 59, 999))).toBe('2026-01-18T15:29:59Z');
  });

  it('validates profiles', () => {
    expect(resolveProfile({ createServer: [1, 2] }).createServer).toEqual([1, 2]);
    expect(() => resolveProfile({ createServer: [3, 2] })).toThrow();
  });
});

describe('token bucket', () => {
  it('drains, refills at the rate and reports the reset time', () => {
    let now = 1_000_000;
    const bucket = new TokenBucket(3, 1, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.headers()).toEqual({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(1000 + 3) });
    now += 1500;
    expect(bucket.headers()['RateLimit-Remaining']).toBe('1');
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });
});

describe('faults registry', () => {
  it('matches method and glob, counts down and retires rules', () => {
    const faults = new Faults();
    faults.addHttp({ method: 'post', path: '/hetzner/v1/servers*', status: 503, count: 2 });
    const rng = new Rng(1);
    expect(faults.matchHttp('GET', '/hetzner/v1/servers', rng)).toBeNull();
    expect(faults.matchHttp('POST', '/hetzner/v1/servers', rng)?.status).toBe(503);
    expect(faults.matchHttp('POST', '/hetzner/v1/servers/1/actions', rng)?.status).toBe(503);
    expect(faults.matchHttp('POST', '/hetzner/v1/servers', rng)).toBeNull();
    expect(() => faults.addHttp({ path: '/x', probability: 2 })).toThrow();
  });

  it('parses CLI fault flags', () => {
    expect(parseFaultFlag('POST /hetzner/v1/servers 409:conflict count=3 latency=50 after')).toEqual({ method: 'POST', path: '/hetzner/v1/servers', status: 409, code: 'conflict', count: 3, latencyMs: 50, phase: 'after' });
    expect(parseFaultFlag('GET /tailscale/* p=0.25 hang')).toEqual({ method: 'GET', path: '/tailscale/*', probability: 0.25, hang: true });
    expect(() => parseFaultFlag('GET /x bogus')).toThrow();
    expect(parseRateLimit('100:0.5')).toEqual({ capacity: 100, refillPerSecond: 0.5 });
  });
});

describe('names and scopes', () => {
  it('checks RFC 1123 hostnames', () => {
    for (const ok of ['a', 'node-1', 'a.b.c', 'A1']) expect(isRfc1123Hostname(ok), ok).toBe(true);
    for (const bad of ['', '-a', 'a-', 'a_b', 'a..b', 'x'.repeat(64)]) expect(isRfc1123Hostname(bad), bad).toBe(false);
  });

  it('derives machine names and -N suffixes', () => {
    expect(machineName("John's-iPhone-6S.local")).toBe('johns-iphone-6s');
    expect(machineName('TS Test_1')).toBe('ts-test-1');
    const dev = (name: string) => ({ name: `${name}.tail1.ts.net` }) as DeviceRecord;
    expect(uniqueName('web', [], 'tail1.ts.net')).toBe('web.tail1.ts.net');
    expect(uniqueName('web', [dev('web')], 'tail1.ts.net')).toBe('web-1.tail1.ts.net');
    expect(uniqueName('web', [dev('web'), dev('web-1')], 'tail1.ts.net')).toBe('web-2.tail1.ts.net');
    expect(sameTags(['tag:a', 'tag:b'], ['tag:b', 'tag:a'])).toBe(true);
    expect(sameTags(['tag:a'], ['tag:a', 'tag:b'])).toBe(false);
  });

  it('treats write scopes as covering read, and legacy names', () => {
    expect(scopeCovers(['devices:core'], 'devices:core:read')).toBe(true);
    expect(scopeCovers(['devices:core:read'], 'devices:core')).toBe(false);
    expect(scopeCovers(['auth_keys'], 'devices:core:read')).toBe(false);
    expect(scopeCovers(['devices'], 'auth_keys')).toBe(true);
    expect(scopeCovers(['all:read'], 'auth_keys:read')).toBe(true);
    expect(scopeCovers(['all:read'], 'auth_keys')).toBe(false);
  });

  it('computes MD5 colon-hex fingerprints and rejects junk', () => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 1)]).toString('base64');
    const fp = sshFingerprint(`ssh-ed25519 ${blob} me@host`);
    expect(fp).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(sshFingerprint(`ssh-rsa ${blob}`)).toBeNull();
    expect(sshFingerprint('hello')).toBeNull();
  });
});
