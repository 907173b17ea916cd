import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { handleAppProtocol, registerAppScheme, serveAppRequest } from '../../../electron/main/protocol';
import { protocol, resetElectronStub } from '../../stubs/electron';
import { tempDir } from '../../fixtures/temp-dir';

// Layout: <tmp>/secret.txt sits next to <tmp>/renderer, the served root.
let tmp: { dir: string; cleanup: () => void };
let root: string;

beforeAll(() => {
  tmp = tempDir('outpost-protocol-');
  root = join(tmp.dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Outpost</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'a b.json'), '{}');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'TOKEN');
  symlinkSync(join(tmp.dir, 'secret.txt'), join(root, 'assets', 'leak.js'));
});
afterAll(() => tmp.cleanup());
beforeEach(() => resetElectronStub());

const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, root);

describe('serveAppRequest', () => {
  it.each([
    ['app://outpost/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Outpost</title>'],
    ['app://outpost/', 'text/html; charset=utf-8', '<!doctype html><title>Outpost</title>'],
    ['app://outpost/assets/index-abc.js?v=2#x', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://outpost/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://outpost/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://outpost/assets/a%20b.json', 'application/json; charset=utf-8', '{}'],
  ])('serves %s as %s with the CSP header', async (url, type, body) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(body);
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://outpost/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    'app://outpost/../../etc/passwd',
    'app://outpost/../secret.txt',
    'app://outpost/%2e%2e/secret.txt',
    'app://outpost/%2e%2e%2fsecret.txt',
    'app://outpost/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://outpost/%2E%2E%2Fsecret.txt',
    'app://outpost/%252e%252e%252fsecret.txt',
    'app://outpost/..%5csecret.txt',
    'app://outpost/..\\secret.txt',
    'app://outpost/assets\\..\\..\\secret.txt',
    'app://outpost/index.html%00.js',
    'app://outpost/%00',
    'app://outpost/%2fetc%2fpasswd',
    'app://outpost//etc/passwd',
    'app://outpost/%e0%a4%a',
    'app://outpost/assets/leak.js',
    'app://outpost/assets',
    'app://outpost/missing.js',
    'app://other/index.html',
    'app://outpost.evil/index.html',
    'app://outpost:81/index.html',
    'app://x@outpost/index.html',
    'https://outpost/index.html',
  ])('refuses %s with 403/404 and no file content', async (url) => {
    const res = await get(url);
    expect([403, 404]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).not.toContain('TOKEN');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://outpost/index.html', 'POST')).status).toBe(405);
  });
});

describe('registration', () => {
  it('registers app:// as standard, secure and fetch-capable', () => {
    registerAppScheme(protocol as unknown as Protocol);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('handles the app scheme with the file server', async () => {
    handleAppProtocol(protocol as unknown as Protocol, root);
    const handler = protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const res = await handler!(new Request('app://outpost/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
