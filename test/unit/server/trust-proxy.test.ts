// --trust-proxy: whose X-Forwarded-For is believed, and which of its entries is the client.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../electron/server/team/listen-plan';
import { clientAddress, forwardedProto, normalizeAddress, parseTrustProxy } from '../../../electron/server/team/trust-proxy';

const request = (peer: string, headers: Record<string, string | string[]> = {}) => ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe('parseTrustProxy', () => {
  it('takes addresses, CIDR ranges and "loopback", comma-separated or repeated', () => {
    const trust = parseTrustProxy(['10.0.0.0/24, 192.0.2.7', '2001:db8::/32', 'loopback']);
    for (const ip of ['10.0.0.1', '10.0.0.255', '192.0.2.7', '2001:db8::1', '127.0.0.1', '127.9.9.9', '::1', '::ffff:10.0.0.9']) expect(trust.trusts(ip), ip).toBe(true);
    for (const ip of ['10.0.1.1', '192.0.2.8', '2001:db9::1', 'garbage', '']) expect(trust.trusts(ip), ip).toBe(false);
  });

  it('refuses what is not an address or a range, naming it', () => {
    for (const entry of ['proxy.example', '10.0.0.0/33', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => parseTrustProxy([entry]), entry).toThrow(entry);
    }
    expect(() => parseTrustProxy([' , '])).toThrow(/empty/);
  });
});

describe('clientAddress', () => {
  const trust = parseTrustProxy(['127.0.0.1', '10.0.0.0/8']);

  it('is the peer when the peer is not a listed proxy, whatever it forwards', () => {
    expect(clientAddress(request('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }), trust)).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }), null)).toBe('127.0.0.1');
  });

  it('is the rightmost entry that is not a listed proxy, so a client cannot choose it', () => {
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }), trust)).toBe('198.51.100.1');
    // The client sent "1.2.3.4" itself; the proxy appended what it saw.
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 198.51.100.1' }), trust)).toBe('198.51.100.1');
    expect(clientAddress(request('::ffff:127.0.0.1', { 'x-forwarded-for': ['1.2.3.4', '198.51.100.1, 10.1.2.3'] }), trust)).toBe('198.51.100.1');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '10.0.0.5, 10.0.0.6' }), trust)).toBe('10.0.0.5');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': 'nonsense, 10.0.0.6' }), trust)).toBe('10.0.0.6');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '[2001:db8::1]:443' }), trust)).toBe('2001:db8::1');
    expect(clientAddress(request('127.0.0.1'), trust)).toBe('127.0.0.1');
  });

  it('reads X-Forwarded-Proto from a listed proxy only', () => {
    expect(forwardedProto(request('127.0.0.1', { 'x-forwarded-proto': 'HTTP' }), trust)).toBe('http');
    expect(forwardedProto(request('127.0.0.1', { 'x-forwarded-proto': 'http, https' }), trust)).toBe('https');
    expect(forwardedProto(request('203.0.113.9', { 'x-forwarded-proto': 'http' }), trust)).toBeNull();
    expect(forwardedProto(request('127.0.0.1'), trust)).toBeNull();
  });
});

describe('addresses', () => {
  it('normalises what sockets and proxies write', () => {
    expect(normalizeAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('192.0.2.1:5123')).toBe('192.0.2.1');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeAddress('unknown')).toBeNull();
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
