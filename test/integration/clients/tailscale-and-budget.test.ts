// Tailscale OAuth under concurrency and the Hetzner RateBudget against a small simulated bucket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HetznerClient } from '../../../electron/core/hetzner';
import { RateBudget } from '../../../electron/core/hetzner/rate-budget';
import type { OAuthTokenSource } from '../../../electron/core/tailscale/oauth';
import { TailscaleError } from '../../../electron/core/tailscale';
import { waitUntil } from '../../fixtures/wait-until';
import { fastSleep, fault, clearFaults, lastSeq, requests, setRateLimit, start, tailscale, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  // Access tokens live 10 simulated seconds = 500 ms here, while the client trusts expires_in
  // (10 s): the simulator's 401 is what tells it the token expired.
  sim = await start({ timeScale: 0.05, profile: { tokenLifetime: [10, 10] } });
});
afterAll(async () => {
  await sim.close();
});

const tokenRequests = async (since: number) => (await requests(sim, since)).filter((r) => r.method === 'POST' && r.path.endsWith('/api/v2/oauth/token'));

describe('Tailscale client on the simulator', () => {
  it('an expired OAuth token is refreshed once under 20 concurrent calls', async () => {
    const ts = tailscale(sim);
    const since = await lastSeq(sim);
    await ts.devices.list();
    expect(await tokenRequests(since)).toHaveLength(1);
    // Wait until the simulator says the cached token expired (its clock, its 401), not for a guessed time.
    const cached = await (ts.tokens as OAuthTokenSource).token(); // still fresh to the client: no request
    const devicesUrl = `${sim.tailscaleUrl}/api/v2/tailnet/-/devices`;
    await waitUntil(async () => (await fetch(devicesUrl, { headers: { authorization: `Bearer ${cached}` } })).status === 401, "the token to expire on the simulator's clock");
    const mid = await lastSeq(sim);
    const results = await Promise.all([...Array(20)].map(() => ts.devices.list({ tags: sim.credentials.tailscaleTags })));
    expect(results).toHaveLength(20);
    expect(await tokenRequests(mid)).toHaveLength(1);
    expect((ts.tokens as OAuthTokenSource).fetches).toBe(2);
  });

  it('mints, reads and revokes a key; the secret is returned once', async () => {
    const ts = tailscale(sim);
    const key = await ts.keys.create({ tags: sim.credentials.tailscaleTags, expirySeconds: 600, description: 'outpost test' });
    expect(key.key).toMatch(/^tskey-auth-/);
    expect(key.capabilities?.devices.create).toMatchObject({ reusable: false, ephemeral: true, preauthorized: true });
    const read = await ts.keys.get(key.id);
    expect(read).toMatchObject({ id: key.id });
    expect(read).not.toHaveProperty('key');
    await expect(ts.keys.delete(key.id)).resolves.toBe(true);
    expect((await ts.keys.get(key.id))?.invalid ?? true).toBe(true);
  });

  it('keeps Tailscale errors typed with status and message; retries 5xx on reads', async () => {
    const ts = tailscale(sim);
    const bad = await ts.keys.create({ tags: ['tag:not-ours'] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TailscaleError);
    expect(bad).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((bad as Error).message).toMatch(/tags/);
    await fault(sim, { method: 'GET', path: '/tailscale/api/v2/tailnet/*', status: 502, count: 2 });
    await expect(ts.devices.list()).resolves.toBeInstanceOf(Array);
    await clearFaults(sim);
  });
});

describe('RateBudget on the simulator', () => {
  const burst = async (client: HetznerClient) => {
    const since = await lastSeq(sim);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      work.push(client.http.get('/locations', { priority: 'mutation' }).catch((e: unknown) => e));
      work.push(client.http.get('/server_types', { priority: 'wait' }).catch((e: unknown) => e));
      work.push(client.http.get('/servers', { priority: 'sync' }).catch((e: unknown) => e));
    }
    await Promise.all(work);
    return (await requests(sim, since)).filter((r) => r.api === 'hetzner');
  };

  it('keeps a burst of fleet work under a small bucket without a 429', async () => {
    await setRateLimit(sim, { capacity: 20, refillPerSecond: 40, remaining: 20 });
    const budget = new RateBudget();
    const client = new HetznerClient({ token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl, budget, sleep: fastSleep, backoff: { maxRetries: 0 } });
    const log = await burst(client);
    expect(log).toHaveLength(45);
    expect(log.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('(control) the same burst without headroom meets 429s', async () => {
    await setRateLimit(sim, { capacity: 20, refillPerSecond: 40, remaining: 20 });
    // A budget that never holds anything back (as if it did not exist).
    const client = new HetznerClient({ token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl, backoff: { maxRetries: 0 }, budget: { acquire: () => Promise.resolve(), settle: () => undefined, level: () => 1, delayFor: () => 0 } as unknown as RateBudget, sleep: fastSleep });
    const log = await burst(client);
    expect(log.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    await setRateLimit(sim, { capacity: 3600, refillPerSecond: 1, remaining: 3600 });
  });
});
