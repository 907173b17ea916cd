// The HTTP layer of browser mode fuzzed by itself: paths (secret right, wrong, encoded; traversal;
// doubled slashes), percent-encoding (valid, double, malformed, overlong UTF-8, NUL), methods,
// Host / Origin / Sec-Fetch-Site / Content-Type headers and bodies. Whatever arrives, the answer is
// below 500, a JSON error is a typed envelope (never `internal`), nothing is served without the
// secret or to a foreign page, and no table, setting or vault byte changes (the role is support,
// so an rpc that gets through is a read or a refused mutation).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { startSecuritySandbox, type SecuritySandbox } from './sandbox';
import type { RawRequest } from './http-client';
import { snapshot } from './state';

let sb: SecuritySandbox;
let port: number;
let secret: string;

beforeAll(async () => {
  sb = await startSecuritySandbox();
  port = sb.server.port;
  secret = sb.server.secret;
});
afterAll(async () => {
  await sb?.close();
});

/** How a request names the secret: right, wrong, or right but disguised. */
type SecretForm = 'right' | 'wrong' | 'encoded' | 'missing' | 'prefix';
const secretIn = (form: SecretForm): string =>
  ({
    right: secret,
    wrong: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`,
    encoded: [...secret].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    missing: '',
    prefix: secret.slice(0, 8),
  })[form];

// Settings aside, every channel is a read or a refused mutation in the support role.
const RPC_CHANNELS = CHANNELS.filter((c) => c !== 'settings:update');

const route = fc.oneof(
  fc.constantFrom(...RPC_CHANNELS).map((c) => `rpc/${c}`),
  fc.constantFrom(...RPC_CHANNELS).map((c) => `rpc/${encodeURIComponent(c)}`),
  fc.constantFrom(...RPC_CHANNELS).map((c) => `rpc/${encodeURIComponent(encodeURIComponent(c))}`),
  fc.constantFrom(
    'rpc/app%3Ainfo',
    'rpc/%',
    'rpc/%zz',
    'rpc/app%3',
    'rpc/%E0%A4%A',
    'rpc/%C0%AF',
    'rpc/%00',
    'rpc/app:info%00',
    'rpc/../rpc/app:info',
    'rpc//app:info',
    'rpc/',
    'rpc',
    'events',
    'events/',
    '',
    'index.html',
    '%2e%2e/%2e%2e/etc/passwd',
    '../../../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '..\\..\\etc\\passwd',
    'assets/../../package.json',
    'vault.json',
    'sandbox.db',
    '%',
    '%ff%fe',
    '.',
    './index.html',
  ),
  fc.stringMatching(/^[A-Za-z0-9._~%:\-/]{0,40}$/),
);

const request = fc.record({
  // Weighted towards requests that pass the guards, so the routes behind them are fuzzed too.
  secretForm: fc.oneof({ weight: 12, arbitrary: fc.constant<SecretForm>('right') }, fc.constantFrom<SecretForm>('wrong', 'encoded', 'missing', 'prefix')),
  route,
  leadingSlashes: fc.oneof({ weight: 8, arbitrary: fc.constant('/') }, fc.constant('//')),
  query: fc.constantFrom('', '', '?x=1', '?__proto__=1', '?%zz', '#frag'),
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  host: fc.oneof({ weight: 12, arbitrary: fc.constant('ours') }, fc.constantFrom('localhost', 'evil.example', 'other-port', '127.0.0.1')),
  origin: fc.oneof({ weight: 12, arbitrary: fc.constantFrom<string | null>(null, 'ours') }, fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1')),
  fetchSite: fc.oneof({ weight: 12, arbitrary: fc.constantFrom<string | null>(null, 'same-origin', 'none') }, fc.constantFrom('cross-site', 'same-site')),
  contentType: fc.constantFrom<string | null>('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', null),
  body: fc.oneof(
    fc.constantFrom('', '{}', 'null', '[]', '{"search":"x"}', '{"provider":"hetzner"}', '{"jobId":"job_1"}', '{', '\u0000', '{"__proto__":{"role":"operator"}}'),
    fc.json({ maxDepth: 2 }),
    fc.string({ maxLength: 100 }),
  ),
});

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

function build(g: Generated): RawRequest & { secretOk: boolean; trustedCaller: boolean } {
  const hostHeader = { ours: `127.0.0.1:${port}`, localhost: `localhost:${port}`, 'evil.example': `evil.example:${port}`, 'other-port': `127.0.0.1:${port + 1}`, '127.0.0.1': '127.0.0.1' }[g.host]!;
  const headers: Record<string, string> = { host: hostHeader };
  if (g.origin !== null) headers.origin = g.origin === 'ours' ? `http://127.0.0.1:${port}` : g.origin;
  if (g.fetchSite !== null) headers['sec-fetch-site'] = g.fetchSite;
  if (g.contentType !== null) headers['content-type'] = g.contentType;
  const path = `${g.leadingSlashes}${secretIn(g.secretForm)}/${g.route}${g.query}`;
  const hostOk = g.host === 'ours' || g.host === 'localhost';
  const originOk = g.origin === null || g.origin === 'ours';
  const siteOk = g.fetchSite === null || g.fetchSite === 'same-origin' || g.fetchSite === 'none';
  const withBody = g.method !== 'GET' && g.method !== 'HEAD';
  const secretOk = g.secretForm === 'right' && g.leadingSlashes === '/';
  const trustedCaller = hostOk && originOk && siteOk;
  return {
    method: g.method,
    path,
    headers,
    ...(withBody ? { body: g.body } : {}),
    // The one request that opens a Server-Sent Events stream, which never ends: status and headers only.
    headersOnly: g.method === 'GET' && g.route === 'events' && secretOk && trustedCaller,
    secretOk,
    trustedCaller,
  };
}

describe('fuzzing the browser-mode HTTP layer', () => {
  it('answers 2,000 generated requests below 500, typed, refusing strangers, changing nothing', async () => {
    sb.settings.set('role', 'support');
    const statuses: Record<number, number> = {};
    let pastGuards = 0;
    await fc.assert(
      fc.asyncProperty(request, async (g) => {
        sb.settings.set('role', 'support');
        const req = build(g);
        if (req.secretOk && req.trustedCaller) pastGuards += 1;
        const before = snapshot(sb.runtime, undefined, { reuse: true });
        const res = await sb.http.send(req);
        const where = `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${JSON.stringify(req.body ?? '').slice(0, 80)} -> ${res.status} ${res.text.slice(0, 200)}`;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;

        expect(res.status, where).toBeGreaterThanOrEqual(200);
        expect(res.status, where).toBeLessThan(500);
        // Nothing reaches the services, the stream or the files without the secret and a trusted caller.
        if (!req.secretOk || !req.trustedCaller) expect(res.status, where).not.toBe(200);
        const type = String(res.headers['content-type'] ?? '');
        if (req.headersOnly) expect([res.status, type.split(';')[0]], where).toEqual([200, 'text/event-stream']);
        else if (type.startsWith('application/json') && req.method !== 'HEAD') {
          const body = JSON.parse(res.text) as { ok: boolean; error?: { code: string; message: string } };
          if (!body.ok) {
            expect(ERROR_CODES, where).toContain(body.error!.code);
            expect(body.error!.code, where).not.toBe('internal');
            expect(typeof body.error!.message, where).toBe('string');
          }
          expect(body.ok && res.status !== 200, `${where}: ok with an error status`).toBe(false);
        }
        if (res.status >= 400) expect(type, `${where}: an error that is not a JSON envelope`).toMatch(/^application\/json/);
        const after = snapshot(sb.runtime, before);
        expect(after.tables, where).toEqual(before.tables);
        expect(after.settings, where).toEqual(before.settings);
        expect(after.vault, where).toBe(before.vault);
      }),
      { numRuns: 2_000, seed: 1129 },
    );
    console.log(`http fuzz: ${pastGuards} of 2000 past the secret and caller checks; statuses ${JSON.stringify(statuses)}`);
    expect(pastGuards, 'too few requests reached the routes behind the guards').toBeGreaterThanOrEqual(500);
    // The mix reached every layer: served, refused by guard, by route and by method.
    for (const status of [200, 403, 404, 405]) expect(statuses[status] ?? 0, `no ${status} answers: the generator missed a layer`).toBeGreaterThan(0);
  });

  it('answers a path that starts with // (no secret, an empty segment) with a typed 4xx', async () => {
    for (const path of ['//', '//x', `//${secret}/`, `//${secret}/rpc/app:info`, '//evil.example/']) {
      const res = await sb.http.send({ method: 'GET', path });
      expect(res.status, `${path} -> ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path} -> ${res.text}`).toBeLessThan(500);
      expect((JSON.parse(res.text) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
  });

  it('answers a malformed percent-encoding in the channel name with a typed 4xx', async () => {
    for (const bad of ['%', '%zz', 'app%3', '%E0%A4%A', '%C0%AF']) {
      const res = await sb.http.send({ method: 'POST', path: `/${secret}/rpc/${bad}`, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, bad).toBeGreaterThanOrEqual(400);
      expect(res.status, bad).toBeLessThan(500);
      const body = JSON.parse(res.text) as { ok: boolean; error: { code: string } };
      expect(body.ok, bad).toBe(false);
      expect(['invalid_input', 'not_found'], bad).toContain(body.error.code);
    }
  });
});
