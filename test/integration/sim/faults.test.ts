import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestSim, createServer, joinUserData, mintKey, oauthToken, startTestSim } from './helpers';

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim({ timeScale: 0.003 });
});
afterEach(async () => {
  await sim.control.clearFaults();
});
afterAll(async () => {
  await sim.close();
});

describe('fault injection and inspection', () => {
  it('injects a status with its API code for a count of requests, then lets requests through', async () => {
    const rule = await sim.control.addFault({ method: 'GET', path: '/hetzner/v1/servers', status: 409, code: 'conflict', count: 2 });
    expect((await sim.hz('GET', '/servers')).json.error).toMatchObject({ code: 'conflict', details: null });
    const second = await sim.hz('GET', '/servers');
    expect(second.status).toBe(409);
    expect(second.headers.get('ratelimit-remaining')).not.toBeNull();
    expect((await sim.hz('GET', '/servers')).status).toBe(200);
    const { requests } = await sim.control.requests(0);
    const faulted = requests.filter((r) => r.fault === rule.id);
    expect(faulted.map((r) => [r.status, r.code])).toEqual([
      [409, 'conflict'],
      [409, 'conflict'],
    ]);
  });

  it('uses the Tailscale {message} shape for Tailscale paths', async () => {
    await sim.control.addFault({ path: '/tailscale/api/v2/tailnet/*/devices', status: 429, count: 1 });
    const token = await oauthToken(sim);
    const r = await sim.ts('GET', '/tailnet/-/devices', { token });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ message: 'too many requests' });
  });

  it('adds latency, hangs, resets and sends malformed bodies', async () => {
    await sim.control.addFault({ path: '/hetzner/v1/locations', latencyMs: 120, count: 1 });
    const before = await sim.control.requests(0);
    expect((await sim.hz('GET', '/locations')).status).toBe(200);
    const slow = (await sim.control.requests(before.lastSeq)).requests[0]!;
    expect(slow.latencyMs).toBeGreaterThanOrEqual(100);

    await sim.control.addFault({ path: '/hetzner/v1/images', hang: true, count: 1 });
    await expect(fetch(`${sim.hetznerUrl}/images`, { headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` }, signal: AbortSignal.timeout(150) })).rejects.toThrow();

    await sim.control.addFault({ path: '/hetzner/v1/server_types', reset: true, count: 1 });
    await expect(fetch(`${sim.hetznerUrl}/server_types`, { headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` } })).rejects.toThrow();

    await sim.control.addFault({ path: '/hetzner/v1/datacenters', malformed: true, count: 1 });
    const res = await fetch(`${sim.hetznerUrl}/datacenters`, { headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    const outcomes = (await sim.control.requests(before.lastSeq)).requests.map((r) => r.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['hang', 'reset', 'answered']));
  });

  it('phase "after" applies the request before failing the answer (an ambiguous create)', async () => {
    await sim.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', reset: true, phase: 'after', count: 1 });
    await expect(
      fetch(`${sim.hetznerUrl}/servers`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'ambiguous-1', server_type: 'cx22', image: 'ubuntu-24.04', labels: { job: 'j1' } }),
      }),
    ).rejects.toThrow();
    expect((await sim.hz('GET', '/servers?label_selector=job%3Dj1')).json.servers).toHaveLength(1);
  });

  it('applies a probability with the seeded dice', async () => {
    await sim.control.addFault({ path: '/hetzner/v1/locations/*', status: 503, probability: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await sim.hz('GET', '/locations/1')).status);
    const failures = statuses.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    expect(statuses.filter((s) => s === 200).length).toBe(40 - failures);
  });

  it('fails actions by command; the server is left behind', async () => {
    await sim.control.failActions({ command: 'start_server', count: 1, code: 'action_failed', message: 'Action failed' });
    const { server, next_actions } = await createServer(sim, 'fail-start');
    const end = await sim.control.waitFor((s) => s.actions.find((a) => a.id === next_actions[0]!.id && a.status !== 'running'));
    expect(end.status).toBe('error');
    expect((await sim.hz('GET', `/actions/${end.id}`)).json.action.error).toEqual({ code: 'action_failed', message: 'Action failed' });
    expect((await sim.hz('GET', `/servers/${server.id}`)).json.server.status).toBe('off');
  });

  it('never enrolls a blocked hostname, with the reason in /_sim/state', async () => {
    await sim.control.blockEnrollment({ hostname: 'hz-blocked' });
    const token = await oauthToken(sim);
    const key = await mintKey(sim, token);
    const { server } = await createServer(sim, 'hz-blocked', { user_data: joinUserData(key.key, 'hz-blocked') });
    const boot = await sim.control.waitFor((s) => {
      const b = s.servers.find((x) => x.id === server.id)?.boot;
      return b?.state === 'suppressed' ? b : undefined;
    });
    expect(boot.reason).toContain('fault injection');
    expect((await sim.ts('GET', '/tailnet/-/keys/' + key.id, { token })).json.invalid).toBe(false);
  });

  it('filters the request log with ?since and resets the world', async () => {
    const { lastSeq } = await sim.control.requests(0);
    await sim.hz('GET', '/servers?name=x');
    const { requests } = await sim.control.requests(lastSeq);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/hetzner/v1/servers?name=x', status: 200, code: null, api: 'hetzner' });
    expect(requests[0]!.ts).toBeGreaterThan(0);
    await sim.control.reset();
    const state = await sim.control.state();
    expect(state.servers).toEqual([]);
    expect((await sim.control.requests(0)).requests).toEqual([]);
    expect((await sim.hz('GET', '/servers')).status).toBe(200);
  });
});
