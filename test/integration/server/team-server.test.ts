// The team server (`outpost serve`) against real sockets: HTTPS with a certificate made for the test,
// users from the store. Sign-in answers the same for an unknown name and a wrong password and is
// rate-limited per address and per name; the session cookie has every flag; a browser's change needs
// the CSRF token and our Origin; an API token works alone until revoked; a signed-out session is
// refused; forwarding headers count only from a listed proxy; and a server that would send passwords
// in the clear does not start.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { runServe } from '../../../electron/cli/commands/serve';
import { SignInThrottle } from '../../../electron/core/auth/rate-limit';
import { UserService } from '../../../electron/core/auth/users';
import { silentLogger } from '../../../electron/core/log';
import { MemorySettings } from '../../../electron/core/settings';
import { SseHub } from '../../../electron/server/sse';
import { planListen } from '../../../electron/server/team/listen-plan';
import { startTeamServer, TEAM_MARKER, type RunningTeamServer } from '../../../electron/server/team/team-server';
import { storeHash } from '../../fixtures/store-hash';
import { cookieOf, TeamClient, type Browser } from '../../fixtures/team-client';
import { tempDir } from '../../fixtures/temp-dir';
import { selfSignedCertificate, type TestCertificate } from '../../fixtures/tls';

const PASSWORD = 'Correct horse 42 battery';
let tmp: { dir: string; cleanup: () => void };
let cert: TestCertificate;
let rendererDir: string;
let runtime: Runtime;
let settings: MemorySettings;
let users: UserService;
let hub: SseHub;
const servers: RunningTeamServer[] = [];
/** HTTPS, no proxy: the main server of these tests. */
let tls: TeamClient;
/** Plain HTTP on loopback behind a "proxy" at 127.0.0.1 (this test), public at https://outpost.example.test. */
let proxied: TeamClient;
/** HTTPS that trusts a proxy at 10.9.9.9 only: this test's X-Forwarded-For must be ignored. */
let untrusted: TeamClient;
/** HTTPS with a per-name limit of 3 (the default of 50 would take 50 slow hashes to show). */
let tightName: TeamClient;

async function addActive(name: string, role: 'operator' | 'support' | 'payments'): Promise<void> {
  const { inviteUrlToken } = await users.addUser(name, role);
  await users.acceptInvite(inviteUrlToken, PASSWORD);
}

async function serve(options: { trustProxy?: string[]; publicUrl?: string; plain?: boolean; throttle?: SignInThrottle }): Promise<RunningTeamServer> {
  const plan = planListen({
    host: '127.0.0.1',
    port: 0,
    ...(options.plain ? {} : { tlsCert: cert.certFile, tlsKey: cert.keyFile }),
    trustProxy: options.trustProxy,
    publicUrl: options.publicUrl,
  });
  const server = await startTeamServer({ handlers: runtime.handlers, hub, users, plan, rendererDir, log: silentLogger, ...(options.throttle ? { throttle: options.throttle } : {}) });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  tmp = tempDir('outpost-team-');
  cert = selfSignedCertificate(tmp.dir);
  rendererDir = join(tmp.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Outpost</title></head><body></body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  hub = new SseHub();
  settings = new MemorySettings();
  runtime = await startRuntime({ dataDir: join(tmp.dir, 'data'), events: hub, settings, mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0 });
  users = new UserService(runtime.store);
  await addActive('Ana', 'operator');
  await addActive('Sam', 'support');
  await addActive('Pat', 'payments');
  const main = await serve({});
  tls = new TeamClient(new URL(main.listening), cert.cert);
  const viaProxy = await serve({ plain: true, trustProxy: ['127.0.0.1'], publicUrl: 'https://outpost.example.test' });
  proxied = new TeamClient(new URL(viaProxy.listening), undefined, viaProxy.url);
  untrusted = new TeamClient(new URL((await serve({ trustProxy: ['10.9.9.9'] })).listening), cert.cert);
  const limits = { perNameAndAddress: { max: 5, windowMs: 900_000 }, perAddress: { max: 20, windowMs: 900_000 }, perName: { max: 3, windowMs: 900_000 } };
  tightName = new TeamClient(new URL((await serve({ trustProxy: ['127.0.0.1'], throttle: new SignInThrottle(Date.now, limits) })).listening), cert.cert);
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await runtime?.close();
  tmp?.cleanup();
});

describe('team server: sign-in', () => {
  it('signs in over HTTPS and sets the session cookie with every flag', async () => {
    const reply = await tls.signInReply('Ana', PASSWORD);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ok: true, data: { user: { name: 'Ana', role: 'operator' } } });
    const set = [reply.headers['set-cookie']].flat().find((l) => l?.startsWith('__Host-outpost_session='))!;
    const attributes = set.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain'))).toBe(false);
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))!.slice('max-age='.length));
    expect(maxAge).toBeGreaterThan(6 * 24 * 3600);
    expect(maxAge).toBeLessThanOrEqual(7 * 24 * 3600);
    // The CSRF token is in the answer (the page keeps it), the session's value only in the cookie.
    const { csrfToken } = reply.json!.data as { csrfToken: string };
    expect(csrfToken.length).toBeGreaterThanOrEqual(43);
    expect(set).not.toContain(csrfToken);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers a wrong password and an unknown name the same way', async () => {
    const wrong = await tls.signInReply('Ana', 'Wrong horse 42 battery');
    const unknown = await tls.signInReply('Nobody', PASSWORD);
    const invited = await users.addUser('Ivo', 'support'); // has no password yet
    const noPassword = await tls.signInReply('Ivo', PASSWORD);
    for (const reply of [wrong, unknown, noPassword]) {
      expect(reply.status).toBe(401);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    expect(unknown.json).toEqual(wrong.json);
    expect(noPassword.json).toEqual(wrong.json);
    expect(wrong.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await users.removeUser({ id: invited.user.id });
  });

  it('refuses a sign-in posted from another origin, without an Origin, or not as JSON', async () => {
    expect((await tls.signInReply('Ana', PASSWORD, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await tls.send('auth/signin', { body: { name: 'Ana', password: PASSWORD } })).status).toBe(403);
    const form = await tls.send('auth/signin', { body: `name=Ana&password=${PASSWORD}`, headers: { Origin: tls.origin, 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect((await tls.signInReply('Ana', PASSWORD, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('rate-limits one name from one address after 5 failures (429 with Retry-After), even with the right password', async () => {
    await addActive('Rita', 'support');
    const from = { 'X-Forwarded-For': '203.0.113.5' };
    for (let i = 0; i < 5; i++) expect((await proxied.signInReply('Rita', 'Wrong horse 42 battery', from)).status).toBe(401);
    const limited = await proxied.signInReply('Rita', PASSWORD, from);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // The proxy is trusted: another client behind it is another address, and not limited.
    expect((await proxied.signInReply('Rita', PASSWORD, { 'X-Forwarded-For': '203.0.113.6' })).status).toBe(200);
  });

  it('rate-limits one address after 20 failures, whatever the names', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.7' };
    for (let i = 0; i < 20; i++) expect((await proxied.signInReply(`guess-${i}`, 'Wrong horse 42 battery', from)).status).toBe(401);
    expect((await proxied.signInReply('Ana', PASSWORD, from)).status).toBe(429);
    expect((await proxied.signInReply('Ana', PASSWORD, { 'X-Forwarded-For': '198.51.100.8' })).status).toBe(200);
  });

  it('rate-limits one name tried from many addresses', async () => {
    await addActive('Nora', 'support');
    for (let i = 0; i < 3; i++) {
      expect((await tightName.signInReply('Nora', 'Wrong horse 42 battery', { 'X-Forwarded-For': `192.0.2.${i + 1}` })).status).toBe(401);
    }
    expect((await tightName.signInReply('Nora', PASSWORD, { 'X-Forwarded-For': '192.0.2.99' })).status).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not a listed proxy', async () => {
    await addActive('Xena', 'support');
    for (let i = 0; i < 5; i++) {
      expect((await untrusted.signInReply('Xena', 'Wrong horse 42 battery', { 'X-Forwarded-For': `203.0.113.${50 + i}` })).status).toBe(401);
    }
    // Every attempt counted under the peer's own address, whatever it claimed.
    expect((await untrusted.signInReply('Xena', PASSWORD, { 'X-Forwarded-For': '203.0.113.99' })).status).toBe(429);
  });

  it('refuses what a trusted proxy reports as plain http', async () => {
    const reply = await proxied.send('auth/session', { headers: { 'X-Forwarded-Proto': 'http' } });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('team server: calls', () => {
  let ana: Browser;
  beforeAll(async () => {
    ana = await tls.signIn('Ana', PASSWORD);
  });

  it('answers GET auth/session with the user, the role and the CSRF token', async () => {
    const reply = await tls.send('auth/session', { headers: { Cookie: ana.cookie } });
    expect(reply.json).toMatchObject({ ok: true, data: { via: 'session', user: { name: 'Ana', role: 'operator' }, csrfToken: ana.csrf } });
    const none = await tls.send('auth/session');
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('calls as the signed-in user: the audit names them, app:info shows their role', async () => {
    settings.set('role', 'operator');
    const sam = await tls.signIn('Sam', PASSWORD);
    const info = await tls.rpc(sam, 'app:info');
    expect(info.json).toMatchObject({ ok: true, data: { role: 'support', transport: 'http' } });
    const changed = await tls.rpc(ana, 'settings:update', { sshKeys: [] });
    expect(changed.json).toMatchObject({ ok: true });
    const [entry] = await runtime.store.audit.list({ action: 'settings:update', limit: 1 });
    expect(entry).toMatchObject({ actor: 'Ana', role: 'operator', outcome: 'ok', detail: { transport: 'http' } });
  });

  it('refuses a browser call without the CSRF token, with a wrong one, or from another origin, changing nothing', async () => {
    const before = await storeHash(runtime.store, ['catalog', 'sessions']);
    const request = { operatorName: 'csrf victim' };
    const refusals = [
      await tls.rpc(ana, 'settings:update', request, { 'X-Outpost-CSRF': '' }),
      await tls.rpc(ana, 'settings:update', request, { 'X-Outpost-CSRF': 'x'.repeat(43) }),
      await tls.rpc({ ...ana, csrf: (await tls.signIn('Sam', PASSWORD)).csrf }, 'settings:update', request),
      await tls.rpc(ana, 'settings:update', request, { Origin: 'https://evil.example' }),
      await tls.rpc(ana, 'settings:update', request, { Origin: 'null' }),
      await tls.rpc(ana, 'settings:update', request, { 'Sec-Fetch-Site': 'cross-site' }),
      await tls.send('rpc/settings:update', { body: request, headers: { Cookie: ana.cookie, 'X-Outpost-CSRF': ana.csrf } }), // no Origin
    ];
    for (const [i, reply] of refusals.entries()) {
      expect(reply.status, `refusal ${i}`).toBe(403);
      expect(reply.json, `refusal ${i}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await storeHash(runtime.store, ['catalog', 'sessions'])).toBe(before);
    expect(settings.get('operatorName')).not.toBe('csrf victim');
  });

  it('refuses calls without a session or token, and a cookie it does not know', async () => {
    expect((await tls.send('rpc/app:info', { body: {}, headers: { Origin: tls.origin } })).status).toBe(401);
    const forged = await tls.rpc({ cookie: `__Host-outpost_session=${'A'.repeat(43)}`, csrf: ana.csrf }, 'app:info');
    expect(forged.status).toBe(401);
    // The browser is told to forget a cookie the server no longer honours.
    expect(String(forged.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await tls.send('events')).status).toBe(401);
  });

  it('takes an API token without CSRF or Origin, and refuses it once revoked', async () => {
    const { token } = await users.issueApiToken({ name: 'Sam' }, 'ci script');
    const info = await tls.rpcWithToken(token, 'app:info');
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ ok: true, data: { role: 'support' } });
    const session = await tls.send('auth/session', { headers: { Authorization: `Bearer ${token}` } });
    expect(session.json).toMatchObject({ ok: true, data: { via: 'api', user: { name: 'Sam' }, tokenName: 'ci script' } });
    expect((session.json!.data as Record<string, unknown>).csrfToken).toBeUndefined();
    // The token's role holds: support may not change anything, and the refusal is audited under Sam.
    const refused = await tls.rpcWithToken(token, 'provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'token' });
    expect(refused.json).toMatchObject({ ok: false, error: { code: 'read_only' } });
    const [entry] = await runtime.store.audit.list({ action: 'provision:start', limit: 1 });
    expect(entry).toMatchObject({ actor: 'Sam', role: 'support', outcome: 'refused' });
    await users.revokeApiToken({ name: 'Sam' }, 'ci script');
    const revoked = await tls.rpcWithToken(token, 'app:info');
    expect(revoked.status).toBe(401);
    expect(revoked.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await tls.send('rpc/app:info', { body: {}, headers: { Authorization: 'Basic YW5hOnB3' } })).status).toBe(401);
    // A bad token is not rescued by a good cookie.
    expect((await tls.send('rpc/app:info', { body: {}, headers: { Authorization: `Bearer ${token}`, Cookie: ana.cookie, 'X-Outpost-CSRF': ana.csrf, Origin: tls.origin } })).status).toBe(401);
  });

  it('streams events to a signed-in browser and to a token', async () => {
    const { token } = await users.issueApiToken({ name: 'Pat' }, 'events');
    for (const headers of [{ Cookie: ana.cookie }, { Authorization: `Bearer ${token}` }]) {
      const reply = await new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
        const req = httpsRequest(new URL('events', tls.base), { headers, ca: cert.cert }, (res) => {
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
          res.destroy();
        });
        req.on('error', reject);
        req.end();
      });
      expect(reply.status).toBe(200);
      expect(reply.type).toContain('text/event-stream');
    }
  });

  it('ends the session at sign-out: the old cookie is refused', async () => {
    const browser = await tls.signIn('Ana', PASSWORD);
    expect((await tls.rpc(browser, 'app:info')).status).toBe(200);
    // Sign-out is a change too: without the CSRF token it is refused.
    expect((await tls.send('auth/signout', { body: {}, headers: { Cookie: browser.cookie, Origin: tls.origin } })).status).toBe(403);
    const out = await tls.send('auth/signout', { body: {}, headers: { Cookie: browser.cookie, Origin: tls.origin, 'X-Outpost-CSRF': browser.csrf } });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^__Host-outpost_session=; .*Max-Age=0/);
    const after = await tls.rpc(browser, 'app:info');
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // Other sessions of the same user are untouched.
    expect((await tls.rpc(ana, 'app:info')).status).toBe(200);
  });

  it('stops a disabled user at their next request', async () => {
    await addActive('Dora', 'operator');
    const dora = await tls.signIn('Dora', PASSWORD);
    expect((await tls.rpc(dora, 'app:info')).status).toBe(200);
    await users.disableUser({ name: 'Dora' });
    expect((await tls.rpc(dora, 'app:info')).status).toBe(401);
  });
});

describe('team server: pages', () => {
  const noInlineCode = (html: string) => {
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="/);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  };

  it('serves the sign-in and link pages under the CSP, with no inline script or style', async () => {
    for (const path of ['signin', 'invite']) {
      const page = await tls.send(path);
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      noInlineCode(page.body);
    }
    const script = await tls.send('auth/assets/auth.js');
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).toContain("'auth/signin'");
    expect((await tls.send('auth/assets/nope.js')).status).toBe(404);
  });

  it('sends a browser without a session to sign in, and serves the panel marked as a team server to one with', async () => {
    const anonymous = await tls.send('');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('signin');
    const browser = await tls.signIn('Ana', PASSWORD);
    const panel = await tls.send('', { headers: { Cookie: browser.cookie } });
    expect(panel.status).toBe(200);
    expect(panel.body).toContain(TEAM_MARKER);
    expect(panel.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const signedIn = await tls.send('signin', { headers: { Cookie: browser.cookie } });
    expect(signedIn.body).toContain('signed in as <strong>Ana</strong>');
    expect((await tls.send('assets/app.js')).status).toBe(200);
  });

  it('sets a password with a one-time link, signs in, and refuses the link a second time', async () => {
    const { inviteUrlToken } = await users.addUser('Ines', 'payments');
    const accepted = await tls.send('auth/invite', { body: { token: inviteUrlToken, password: PASSWORD }, headers: { Origin: tls.origin } });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ ok: true, data: { user: { name: 'Ines', role: 'payments', status: 'active' } } });
    const ines = { cookie: cookieOf(accepted), csrf: (accepted.json!.data as { csrfToken: string }).csrfToken };
    expect((await tls.rpc(ines, 'app:info')).json).toMatchObject({ ok: true, data: { role: 'payments' } });
    const again = await tls.send('auth/invite', { body: { token: inviteUrlToken, password: 'Another horse 43 battery' }, headers: { Origin: tls.origin } });
    expect(again.status).toBe(401);
    const weak = await users.addUser('Wes', 'support');
    const short = await tls.send('auth/invite', { body: { token: weak.inviteUrlToken, password: 'short' }, headers: { Origin: tls.origin } });
    expect(short.status).toBe(400);
    expect(short.json).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(short.body).not.toContain('short"');
  });
});

describe('team server: refuses to start', () => {
  it('without TLS on an address other machines can reach', () => {
    for (const host of ['0.0.0.0', '192.0.2.10', '::']) {
      expect(() => planListen({ host, port: 8080, trustProxy: ['127.0.0.1'], publicUrl: 'https://outpost.example.test' }), host).toThrow(/Plain HTTP on .* is refused/);
    }
  });

  it('plain HTTP on loopback without --trust-proxy or --public-url, or with half a certificate', () => {
    expect(() => planListen({ host: '127.0.0.1', port: 8080, publicUrl: 'https://outpost.example.test' })).toThrow(/--trust-proxy/);
    expect(() => planListen({ host: '127.0.0.1', port: 8080, trustProxy: ['127.0.0.1'] })).toThrow(/--public-url/);
    expect(() => planListen({ host: '127.0.0.1', port: 8080, tlsCert: cert.certFile })).toThrow(/--tls-key is missing/);
    expect(() => planListen({ host: '127.0.0.1', port: 8080, trustProxy: ['not-an-ip'], publicUrl: 'https://o.example' })).toThrow(/not-an-ip/);
    expect(() => planListen({ host: '127.0.0.1', port: 8080, trustProxy: ['127.0.0.1'], publicUrl: 'http://o.example' })).toThrow(/https/);
    expect(() => planListen({ host: '127.0.0.1', port: 8080, tlsCert: cert.keyFile, tlsKey: cert.keyFile })).toThrow(/not a PEM certificate and its matching private key/);
  });

  it('before the runtime opens anything', async () => {
    const dataDir = join(tmp.dir, 'refused');
    mkdirSync(dataDir);
    await expect(runServe({ dataDir, mode: 'sandbox', host: '0.0.0.0', port: 0, env: {} })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^Plain HTTP on 0\.0\.0\.0 is refused/),
      hint: expect.stringContaining('--tls-cert FILE --tls-key FILE'),
    });
    await expect(runServe({ dataDir, mode: 'sandbox', host: '127.0.0.1', port: 0, env: {} })).rejects.toThrow(/--trust-proxy/);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'sandbox.db'))).toBe(false);
  });
});
