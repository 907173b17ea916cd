// The team server in a real browser (Chromium over HTTPS with the test's own certificate): a one-time
// link sets the password and opens the panel, which then calls with the session's CSRF token; the
// cookie has every flag; the panel shows the signed-in user's role; sign-out ends it; the sign-in page
// signs the next user in. No page error, no console error, and nothing the CSP blocked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/boot/runtime';
import { DEFAULT_RENDERER_DIR } from '../../electron/cli/commands/web';
import { UserService } from '../../electron/core/auth/users';
import { silentLogger } from '../../electron/core/log';
import { SseHub } from '../../electron/server/sse';
import { planListen } from '../../electron/server/team/listen-plan';
import { startTeamServer, type RunningTeamServer } from '../../electron/server/team/team-server';
import { tempDir } from '../fixtures/temp-dir';
import { selfSignedCertificate } from '../fixtures/tls';
import { launchChromium } from './browser';

const PASSWORD = 'Correct horse 42 battery';
let tmp: { dir: string; cleanup: () => void };
let runtime: Runtime;
let users: UserService;
let server: RunningTeamServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const csrfHeaders: (string | undefined)[] = [];

beforeAll(async () => {
  tmp = tempDir('outpost-e2e-team-');
  const cert = selfSignedCertificate(tmp.dir);
  const hub = new SseHub();
  runtime = await startRuntime({ dataDir: tmp.dir, events: hub, mode: 'sandbox', simTimeScale: 0.02, log: silentLogger, fleetSyncIntervalMs: 0 });
  users = new UserService(runtime.store);
  const plan = planListen({ host: '127.0.0.1', port: 0, tlsCert: cert.certFile, tlsKey: cert.keyFile });
  server = await startTeamServer({ handlers: runtime.handlers, hub, users, plan, rendererDir: DEFAULT_RENDERER_DIR, log: silentLogger });
  browser = await launchChromium();
  // The certificate is the test's own: Chromium is told to accept it, as a team would install its CA.
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 860 } });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('request', (r) => {
    if (r.url().includes('/rpc/')) csrfHeaders.push(r.headers()['x-outpost-csrf']);
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close();
  await runtime?.close();
  tmp?.cleanup();
});

describe('the team server in a browser', () => {
  it('sets a password with the one-time link and opens the panel as that user', async () => {
    const { inviteUrlToken } = await users.addUser('Ana', 'operator');
    await page.goto(`${server.url}invite#${inviteUrlToken}`);
    // The token left the address bar as soon as the page read it.
    expect(page.url()).toBe(`${server.url}invite`);
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByLabel('The same password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    expect(page.url()).toBe(server.url);
    await page.getByText('sandbox · operator').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === '__Host-outpost_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    // Every call the panel made carried the session's CSRF token.
    expect(csrfHeaders.length).toBeGreaterThan(0);
    const { data } = (await (await page.request.get(`${server.url}auth/session`)).json()) as { data: { csrfToken: string } };
    expect(new Set(csrfHeaders)).toEqual(new Set([data.csrfToken]));
    expect(errors).toEqual([]);
  });

  it('signs out from the sign-in page; the panel then sends the browser to sign in', async () => {
    await page.goto(`${server.url}signin`);
    await page.getByText('You are signed in as Ana (operator).').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
    expect(page.url()).toBe(`${server.url}signin`);
    expect(errors).toEqual([]);
  });

  it('shows why a wrong password was refused, then signs a support user in read-only', async () => {
    const { inviteUrlToken } = await users.addUser('Sam', 'support');
    await users.acceptInvite(inviteUrlToken, PASSWORD);
    await page.getByLabel('Name').fill('Sam');
    await page.getByLabel('Password').fill('Wrong horse 42 battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The name or the password is wrong.').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByText('Support role: read-only.').waitFor();
    // The failed sign-in's 401 is the one console error a browser logs for it.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  it('sends a panel whose session ended to the sign-in page at its next call', async () => {
    await users.disableUser({ name: 'Sam' });
    // No reload: the panel's next call is refused (401) and the client opens the sign-in page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
    expect(page.url()).toBe(`${server.url}signin`);
  });
});
