// Who the simulator answers. A page in a browser on this machine must get nothing from it (by DNS
// rebinding, a foreign Origin or a cross-site fetch), and the sandbox embedded in the app opens its
// control API (credentials, world rewrites) only to the holder of the run's secret. The standalone
// `outpost sim` keeps its documented open loopback control API.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../electron/boot/clouds-for-mode';
import { SimControl } from '../../../electron/sim/control';
import { startSimulator, type RunningSimulator } from '../../../electron/sim/index';
import { OutpostError } from '../../../shared/errors';
import { tempDir } from '../../fixtures/temp-dir';

interface RawAnswer {
  status: number;
  body: string;
}

/** A raw HTTP request, so Host, Origin and Sec-Fetch-Site are exactly what a browser would send. */
function raw(sim: RunningSimulator, path: string, headers: Record<string, string>, opts: { method?: string; body?: string; endless?: boolean } = {}): Promise<RawAnswer> {
  const port = Number(new URL(sim.url).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', (err) => (opts.endless ? undefined : reject(err)));
    if (opts.endless) req.write('{"a":"'); // a body that never ends: the answer must not wait for it
    else req.end(opts.body);
  });
}

const hetznerPath = '/hetzner/v1/locations';

describe('the simulator refuses browser pages', () => {
  let sim: RunningSimulator;
  let port: number;
  let auth: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, timeScale: 0.01, seed: 5 });
    port = Number(new URL(sim.url).port);
    auth = { authorization: `Bearer ${sim.credentials.hetznerToken}` };
  });
  afterAll(() => sim.close());

  it('answers a loopback Host naming its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await raw(sim, hetznerPath, { ...auth, host })).status, host).toBe(200);
    }
  });

  it('refuses a foreign Host (DNS rebinding) on every API, before reading the body', async () => {
    const before = (await new SimControl(sim.url).requests()).lastSeq;
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost`]) {
      const answer = await raw(sim, hetznerPath, { ...auth, host });
      expect(answer.status, host).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'forbidden', message: 'the Host header must name this simulator on a loopback address' } });
    }
    expect((await raw(sim, '/_sim/info', { host: `evil.example:${port}` })).status).toBe(403);
    expect((await raw(sim, '/tailscale/api/v2/oauth/token', { host: `evil.example:${port}` }, { method: 'POST', endless: true })).status).toBe(403);
    // Nothing of it reached the clouds: no request was logged (nor counted against the budget).
    expect((await new SimControl(sim.url).requests(before)).requests).toEqual([]);
  });

  it('refuses a foreign Origin and accepts its own', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]) {
      const answer = await raw(sim, '/_sim/state', { origin });
      expect(answer.status, origin).toBe(403);
      expect(JSON.parse(answer.body).error.message).toBe('requests from another origin are refused');
    }
    expect((await raw(sim, '/_sim/state', { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await raw(sim, hetznerPath, { ...auth, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('refuses cross-site and same-site fetches (another localhost port is another site\'s app)', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const answer = await raw(sim, hetznerPath, { ...auth, 'sec-fetch-site': site });
      expect(answer.status, site).toBe(403);
      expect(JSON.parse(answer.body).error.message).toBe('cross-site requests are refused');
    }
    for (const site of ['same-origin', 'none']) expect((await raw(sim, hetznerPath, { ...auth, 'sec-fetch-site': site })).status, site).toBe(200);
  });

  it('keeps the standalone control API open to loopback clients without a secret', async () => {
    expect(sim.controlSecret).toBeNull();
    expect((await raw(sim, '/_sim/info', {})).status).toBe(200);
    expect((await new SimControl(sim.url).info()).credentials.hetznerToken).toBe(sim.credentials.hetznerToken);
  });

  it('refuses a control secret too short to protect anything, naming the option', async () => {
    const attempt = startSimulator({ port: 0, controlSecret: 'short' });
    await expect(attempt).rejects.toBeInstanceOf(OutpostError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('controlSecret') });
  });
});

describe('the sandbox embedded in the app', () => {
  let sim: RunningSimulator;
  let data: { dir: string; cleanup: () => void };
  beforeAll(async () => {
    data = tempDir('outpost-sim-guard-');
    ({ sim } = await startSandbox({ dataDir: data.dir, timeScale: 0.01 }));
  });
  afterAll(async () => {
    await sim.close();
    data.cleanup();
  });

  it('starts with a fresh unguessable control secret per run', async () => {
    expect(sim.controlSecret).toMatch(/^[0-9a-f]{64}$/);
    const other = tempDir('outpost-sim-guard-');
    const second = await startSandbox({ dataDir: other.dir, timeScale: 0.01 });
    try {
      expect(second.sim.controlSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(second.sim.controlSecret).not.toBe(sim.controlSecret);
    } finally {
      await second.sim.close();
      other.cleanup();
    }
  });

  it('answers its control API only with the secret, and tells nothing without it', async () => {
    for (const headers of <Record<string, string>[]>[{}, { 'x-sim-secret': 'f'.repeat(64) }, { 'x-sim-secret': sim.controlSecret!.slice(0, 32) }]) {
      const answer = await raw(sim, '/_sim/info', headers);
      expect(answer.status).toBe(401);
      expect(answer.body).not.toContain(sim.credentials.hetznerToken);
      expect(JSON.parse(answer.body).error.code).toBe('unauthorized');
    }
    // A write without the secret changes nothing, and its body is not even read.
    expect((await raw(sim, '/_sim/faults/enrollment', {}, { method: 'POST', endless: true })).status).toBe(401);
    await expect(new SimControl(sim.url).state()).rejects.toThrow(/-> 401/);

    const control = new SimControl(sim.url, sim.controlSecret);
    expect((await control.info()).credentials.hetznerToken).toBe(sim.credentials.hetznerToken);
    expect(Object.values(await control.faults()).flat()).toEqual([]);
  });

  it('still serves the cloud APIs to the app, and refuses a foreign Host there too', async () => {
    const port = Number(new URL(sim.url).port);
    const auth = { authorization: `Bearer ${sim.credentials.hetznerToken}` };
    expect((await raw(sim, hetznerPath, auth)).status).toBe(200);
    expect((await raw(sim, hetznerPath, { ...auth, host: `evil.example:${port}` })).status).toBe(403);
    expect((await raw(sim, '/_sim/info', { 'x-sim-secret': sim.controlSecret!, origin: 'http://evil.example' })).status).toBe(403);
  });
});
