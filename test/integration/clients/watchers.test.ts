// Fleet-scale waiting against the simulator: 50 concurrent action waits share ~2 requests per
// tick; the enrollment watcher picks the right device when a lingering `-1` twin exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionWatcher } from '../../../electron/core/fleet/action-watcher';
import { EnrollmentWatcher } from '../../../electron/core/fleet/enrollment-watcher';
import type { Action } from '../../../electron/core/hetzner/types';
import { waitUntil } from '../../fixtures/wait-until';
import { createRequest, hetzner, lastSeq, requests, start, tailscale, userData, type Sim } from './helpers';

// timeScale 0.01: a 10–30 s create takes 0.1–0.3 s, so the watcher schedule is scaled the same way.
const SCALE = 0.01;
const schedule = { minMs: 500 * SCALE, maxMs: 5000 * SCALE, floorMs: 1000 * SCALE };

let sim: Sim;
beforeAll(async () => {
  sim = await start({ timeScale: SCALE, profile: { enrollment: [5, 10], deleteServer: [2, 4] } });
});
afterAll(async () => {
  await sim.close();
});

describe('ActionWatcher on the simulator', () => {
  it('50 concurrent waits cost about 2 requests per tick, not 50', async () => {
    const client = hetzner(sim);
    const created = await Promise.all([...Array(50)].map((_, i) => client.servers.create(createRequest(`fleet-${i}`, `job-fleet-${i}`))));
    const since = await lastSeq(sim);
    const ticks: { ids: number; requests: number }[] = [];
    const watcher = new ActionWatcher({ actions: client.actions, budget: client.budget, schedule, onTick: (t) => ticks.push(t) });
    const done = await Promise.all(created.map((c) => watcher.waitFor(c.action)));
    expect(done.every((a: Action) => a.status === 'success' && a.command === 'create_server')).toBe(true);

    const polls = (await requests(sim, since)).filter((r) => r.method === 'GET' && r.path.startsWith('/hetzner/v1/actions?'));
    const perTick = polls.length / ticks.length;
    console.log(`[measure] 50 waits: ${ticks.length} ticks, ${polls.length} GET /actions, ${perTick.toFixed(2)} per tick`);
    expect(ticks[0]!.requests).toBe(2);
    expect(perTick).toBeLessThanOrEqual(2);
    expect(polls.every((r) => new URL(r.path, 'http://x').searchParams.getAll('id').length <= 25)).toBe(true);
    // The official clients poll each action separately every 500 ms: 50 requests per tick.
    expect(polls.length).toBeLessThan(50 * 3);
    expect(watcher.pendingCount).toBe(0);
  });
});

describe('EnrollmentWatcher on the simulator', () => {
  it('matches the new device, not the lingering ephemeral one holding the name', async () => {
    const hz = hetzner(sim);
    const ts = tailscale(sim);
    const tags = sim.credentials.tailscaleTags;
    const actions = new ActionWatcher({ actions: hz.actions, budget: hz.budget, schedule });
    const enrollment = new EnrollmentWatcher({ devices: ts.devices, intervalMs: 30 });
    const hostname = 'hz-twin-a1b2';

    const boot = async (job: string) => {
      const key = await ts.keys.create({ tags, expirySeconds: 600, description: `outpost ${job}` });
      const r = await hz.servers.ensureServer(createRequest(`${hostname}-${job}`, job, userData(key.key, hostname)), { labelSelector: `outpost.job=${job}` });
      await actions.waitAll(r.actions);
      const device = await enrollment.wait(hostname, { tags, ephemeral: true, notBefore: key.created });
      return { server: r.server, device, key };
    };

    const first = await boot('job-twin-1');
    expect(first.device.hostname).toBe(hostname);
    // The VM goes away without `tailscale logout`: its ephemeral device lingers, offline.
    const del = await hz.servers.delete(first.server.id);
    if (del) await actions.waitFor(del);

    const second = await boot('job-twin-2');
    expect(second.device.nodeId).not.toBe(first.device.nodeId);
    expect(second.device.hostname).toBe(hostname);
    expect(second.device.name.split('.')[0]).toBe(`${hostname}-1`); // the name moved; hostname did not
    const both = (await ts.devices.list({ tags })).filter((d) => d.hostname === hostname);
    expect(both).toHaveLength(2);

    await expect(ts.devices.delete(second.device.nodeId)).resolves.toBe(true);
    await expect(ts.devices.delete(second.device.nodeId)).resolves.toBe(false);
  });

  it('one device list per tick serves every pending enrollment', async () => {
    const ts = tailscale(sim);
    const watcher = new EnrollmentWatcher({ devices: ts.devices, intervalMs: 20 });
    const since = await lastSeq(sim);
    const ac = new AbortController();
    const waits = [...Array(30)].map((_, i) =>
      watcher.wait(`never-${i}`, { tags: sim.credentials.tailscaleTags, notBefore: Date.now(), signal: ac.signal }).catch((e: unknown) => e),
    );
    // Several ticks, each serving all 30 waits (counted, not timed).
    await waitUntil(() => watcher.stats.ticks >= 5, 'five enrollment-watcher ticks');
    ac.abort();
    await Promise.all(waits);
    const lists = (await requests(sim, since)).filter((r) => r.method === 'GET' && r.path.includes('/api/v2/tailnet/-/devices'));
    console.log(`[measure] 30 pending enrollments: ${watcher.stats.ticks} ticks, ${lists.length} device lists`);
    expect(lists.length).toBe(watcher.stats.ticks);
    expect(lists.every((r) => r.path.includes('tags=tag'))).toBe(true);
  });
});
