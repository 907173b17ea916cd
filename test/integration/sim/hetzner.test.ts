import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestSim, createServer, expectConformant, startTestSim } from './helpers';
import { SPECS_PRESENT } from './spec-validator';
import { waitUntil } from '../../fixtures/wait-until';

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  const checked = await expectConformant(sim);
  if (SPECS_PRESENT) expect(checked).toBeGreaterThan(50);
  await sim.close();
});

const waitForStatus = (id: number, status: string) =>
  sim.control.waitFor((s) => s.servers.find((x) => x.id === id)?.status === status);

describe('Hetzner simulator: servers and actions', () => {
  it('creates a server: 201 with server, action, next_actions and root_password; ids above 2^32', async () => {
    const r = await sim.hz('POST', '/servers', { name: 'node-a', server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1', labels: { role: 'agent' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{16}$/);
    const { server, action, next_actions, root_password } = r.json;
    expect(server.id).toBeGreaterThan(2 ** 32);
    expect(action.id).toBeGreaterThan(2 ** 32);
    expect(server.status).toBe('initializing');
    expect(server.public_net.ipv4.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(server.public_net.ipv6.ip).toMatch(/::\/64$/);
    expect(server.location.name).toBe('fsn1');
    expect(server.image.architecture).toBe('x86');
    expect(action).toMatchObject({ command: 'create_server', status: 'running', finished: null, error: null, resources: [{ id: server.id, type: 'server' }] });
    expect(next_actions.map((a: { command: string }) => a.command)).toEqual(['start_server']);
    expect(typeof root_password).toBe('string');

    await waitForStatus(server.id, 'running');
    const done = await sim.hz('GET', `/actions?id=${action.id}&id=${next_actions[0].id}&id=999999999999&sort=status&sort=id`);
    expect(done.status).toBe(200);
    expect(done.json.meta).toBeUndefined();
    expect(done.json.actions).toHaveLength(2);
    for (const a of done.json.actions) expect(a).toMatchObject({ status: 'success', progress: 100 });
    expect((await sim.hz('GET', `/actions/${action.id}`)).json.action.finished).toMatch(/Z$/);
  });

  it('moves initializing -> starting -> running with progress rising 0 -> 100', async () => {
    const slow = await startTestSim({ timeScale: 0.02, profile: { createServer: [10, 10], startServer: [10, 10] } });
    try {
      const created = await createServer(slow, 'slow-1');
      const seen: string[] = [];
      const progress: number[] = [];
      // Samples the status and the action's progress until the server runs.
      const running = async () => {
        const s = (await slow.hz('GET', `/servers/${created.server.id}`)).json.server.status as string;
        if (seen.at(-1) !== s) seen.push(s);
        progress.push((await slow.hz('GET', `/actions/${created.action.id}`)).json.action.progress);
        return s === 'running';
      };
      await waitUntil(running, () => `the slow server to run (seen: ${seen.join(' -> ')})`);
      expect(seen).toEqual(['initializing', 'starting', 'running']);
      expect(progress.at(-1)).toBe(100);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    } finally {
      await slow.close();
    }
  });

  it('GET /actions without id is invalid_input; unknown action is not_found', async () => {
    const r = await sim.hz('GET', '/actions');
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('invalid_input');
    const missing = await sim.hz('GET', '/actions/12345');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ code: 'not_found', message: expect.any(String), details: null });
  });

  it('deletes with 200 {action}; the name stays taken until the delete action ends', async () => {
    const created = await createServer(sim, 'node-del');
    await waitForStatus(created.server.id, 'running');
    const del = await sim.hz('DELETE', `/servers/${created.server.id}`);
    expect(del.status).toBe(200);
    expect(del.json.action).toMatchObject({ command: 'delete_server', status: 'running' });
    expect((await sim.hz('GET', `/servers/${created.server.id}`)).json.server.status).toBe('deleting');
    const again = await sim.hz('POST', '/servers', { name: 'node-del', server_type: 'cx22', image: 'ubuntu-24.04' });
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({ code: 'uniqueness_error', message: expect.any(String), details: { fields: [{ name: 'name' }] } });
    await sim.control.waitFor((s) => !s.servers.some((x) => x.id === created.server.id));
    expect((await sim.hz('GET', `/servers/${created.server.id}`)).status).toBe(404);
    expect((await sim.hz('GET', `/actions/${del.json.action.id}`)).json.action.status).toBe('success');
    const recreate = await createServer(sim, 'node-del');
    expect(recreate.server.id).not.toBe(created.server.id);
  });

  it('refuses to delete while create_server holds the lock (423 locked)', async () => {
    const slow = await startTestSim({ profile: { createServer: [500, 500] } });
    try {
      const created = await createServer(slow, 'locked-1');
      const r = await slow.hz('DELETE', `/servers/${created.server.id}`);
      expect(r.status).toBe(423);
      expect(r.json.error.code).toBe('locked');
    } finally {
      await slow.close();
    }
  });

  it('validates create input: names, user_data size, labels, catalogue references', async () => {
    const base = { server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1' };
    const bad = await sim.hz('POST', '/servers', { ...base, name: 'not_a_hostname' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.fields[0].name).toBe('name');

    const big = await sim.hz('POST', '/servers', { ...base, name: 'big-1', user_data: 'x'.repeat(32769) });
    expect(big.status).toBe(422);
    expect(big.json.error).toMatchObject({ code: 'invalid_input', details: { fields: [{ name: 'user_data', messages: ['Length must be between 0 and 32768.'] }] } });
    const exact = await sim.hz('POST', '/servers', { ...base, name: 'big-2', user_data: 'x'.repeat(32768) });
    expect(exact.status).toBe(201);

    const labels = await sim.hz('POST', '/servers', { ...base, name: 'lab-1', labels: { 'hetzner.cloud/x': 'y' } });
    expect(labels.status).toBe(422);
    expect(labels.json.error.details.fields[0].name).toBe('labels');

    const loc = await sim.hz('POST', '/servers', { ...base, name: 'loc-1', location: 'mars1' });
    expect(loc.status).toBe(422);
    expect(loc.json.error.message).toBe("location 'mars1' not found");

    const missing = await sim.hz('POST', '/servers', { name: 'x1', image: 'ubuntu-24.04' });
    expect(missing.json.error.details.fields[0].name).toBe('server_type');

    const notJson = await sim.hz('POST', '/servers', '{"name":');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toEqual({ code: 'json_error', message: expect.any(String), details: null });

    // The arm image for an arm type, picked by name + the type's architecture.
    const arm = await sim.hz('POST', '/servers', { name: 'arm-1', server_type: 'cax11', image: 'ubuntu-24.04', location: 'nbg1' });
    expect(arm.status).toBe(201);
    expect(arm.json.server.image.architecture).toBe('arm');
  });

  it('answers 412 resource_unavailable where the catalogue says so and where it is injected', async () => {
    const types = (await sim.hz('GET', '/server_types?name=ccx13')).json.server_types;
    expect(types[0].locations.find((l: { name: string }) => l.name === 'sin').available).toBe(false);
    const r = await sim.hz('POST', '/servers', { name: 'ccx-sin', server_type: 'ccx13', image: 'ubuntu-24.04', location: 'sin' });
    expect(r.status).toBe(412);
    expect(r.json.error).toEqual({ code: 'resource_unavailable', message: 'error during placement', details: null });

    await sim.control.makeUnavailable({ serverType: 'cx22', location: 'hel1' });
    const listed = (await sim.hz('GET', '/server_types?name=cx22')).json.server_types[0].locations.find((l: { name: string }) => l.name === 'hel1');
    expect(listed.available).toBe(false);
    expect((await sim.hz('POST', '/servers', { name: 'cx-hel', server_type: 'cx22', image: 'ubuntu-24.04', location: 'hel1' })).status).toBe(412);
    await sim.control.makeAvailable('cx22', 'hel1');
    expect((await sim.hz('POST', '/servers', { name: 'cx-hel', server_type: 'cx22', image: 'ubuntu-24.04', location: 'hel1' })).status).toBe(201);
  });
});

describe('Hetzner simulator: listing', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) await createServer(sim, `list-${i}`, { labels: { fleet: 'l', idx: String(i), ...(i % 2 ? { odd: '' } : {}) } });
  });

  const names = async (query: string) => ((await sim.hz('GET', `/servers?${query}`)).json.servers as { name: string }[]).map((s) => s.name);

  it('filters by the full label_selector syntax', async () => {
    const sel = (s: string) => names(`label_selector=${encodeURIComponent(s)}`);
    expect(await sel('fleet=l,idx=3')).toEqual(['list-3']);
    expect(await sel('fleet==l,idx==3')).toEqual(['list-3']);
    expect(await sel('fleet=l,odd')).toEqual(['list-1', 'list-3', 'list-5']);
    expect(await sel('fleet=l,!odd')).toEqual(['list-0', 'list-2', 'list-4', 'list-6']);
    expect(await sel('fleet=l,idx in (1, 2)')).toEqual(['list-1', 'list-2']);
    expect(await sel('fleet=l,idx notin (0,1,2,3,4)')).toEqual(['list-5', 'list-6']);
    expect((await sel('idx!=0')).includes('node-a')).toBe(true); // != also matches servers without the key
    const bad = await sim.hz('GET', `/servers?label_selector=${encodeURIComponent('=oops')}`);
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ code: 'invalid_input', message: 'invalid identifier at position 0' });
  });

  it('filters by name and status (repeatable) and sorts by id/name/created', async () => {
    expect(await names('name=list-4')).toEqual(['list-4']);
    const byIdDesc = await names('label_selector=fleet%3Dl&sort=id:desc');
    expect(byIdDesc).toEqual(['list-6', 'list-5', 'list-4', 'list-3', 'list-2', 'list-1', 'list-0']);
    expect(await names('label_selector=fleet%3Dl&sort=name')).toEqual(byIdDesc.slice().reverse());
    const statuses = await sim.hz('GET', '/servers?status=running&status=initializing&status=starting');
    expect(statuses.status).toBe(200);
    expect(statuses.json.servers.every((s: { status: string }) => ['running', 'initializing', 'starting'].includes(s.status))).toBe(true);
    expect((await sim.hz('GET', '/servers?status=sleeping')).status).toBe(422);
    expect((await sim.hz('GET', '/servers?sort=colour')).status).toBe(422);
  });

  it('paginates with meta.pagination and a Link header', async () => {
    const p1 = await sim.hz('GET', '/servers?label_selector=fleet%3Dl&per_page=3&sort=id');
    expect(p1.json.meta.pagination).toEqual({ page: 1, per_page: 3, previous_page: null, next_page: 2, last_page: 3, total_entries: 7 });
    expect(p1.headers.get('link')).toContain('rel="next"');
    expect(p1.headers.get('link')).toContain('page=3');
    const p3 = await sim.hz('GET', '/servers?label_selector=fleet%3Dl&per_page=3&page=3&sort=id');
    expect(p3.json.servers.map((s: { name: string }) => s.name)).toEqual(['list-6']);
    expect(p3.json.meta.pagination).toMatchObject({ previous_page: 2, next_page: null });
    expect(p3.headers.get('link')).toContain('rel="prev"');
    expect((await sim.hz('GET', '/servers?per_page=500')).json.meta.pagination.per_page).toBe(50);
  });

  it('serves the catalogue: locations, server types with prices, images per architecture', async () => {
    const locations = (await sim.hz('GET', '/locations')).json.locations;
    expect(locations.map((l: { name: string }) => l.name)).toEqual(['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin']);
    expect(locations.find((l: { name: string }) => l.name === 'ash')).toMatchObject({ network_zone: 'us-east', country: 'US' });
    const cx22 = (await sim.hz('GET', '/server_types?name=cx22')).json.server_types[0];
    expect(cx22.prices[0].price_monthly.net).toMatch(/^\d+\.\d{10}$/);
    expect(cx22.architecture).toBe('x86');
    const cax = (await sim.hz('GET', '/server_types?name=cax11')).json.server_types[0];
    expect(cax.architecture).toBe('arm');
    const ubuntu = (await sim.hz('GET', '/images?name=ubuntu-24.04')).json.images;
    expect(ubuntu.map((i: { architecture: string }) => i.architecture).sort()).toEqual(['arm', 'x86']);
    const arm = (await sim.hz('GET', '/images?name=debian-12&architecture=arm')).json.images;
    expect(arm).toHaveLength(1);
    expect(arm[0].architecture).toBe('arm');
    expect((await sim.hz('GET', `/images/${arm[0].id}`)).json.image.name).toBe('debian-12');
    expect((await sim.hz('GET', '/locations/1')).json.location.name).toBe('fsn1');
    expect((await sim.hz('GET', '/server_types/104')).json.server_type.name).toBe('cx22');
    expect((await sim.hz('GET', '/datacenters')).json.datacenters[0].location.name).toBe('fsn1');
  });

  it('manages ssh keys with an MD5 colon-hex fingerprint', async () => {
    // A syntactically valid ed25519 public key (32 zero bytes: never a real key).
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32)]).toString('base64');
    const created = await sim.hz('POST', '/ssh_keys', { name: 'operator', public_key: `ssh-ed25519 ${blob} op@example` });
    expect(created.status).toBe(201);
    expect(created.json.ssh_key.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect((await sim.hz('POST', '/ssh_keys', { name: 'operator', public_key: `ssh-ed25519 ${blob}` })).status).toBe(409);
    expect((await sim.hz('POST', '/ssh_keys', { name: 'junk', public_key: 'ssh-rsa nope' })).status).toBe(422);
    expect((await sim.hz('GET', '/ssh_keys?name=operator')).json.ssh_keys).toHaveLength(1);
    const server = await sim.hz('POST', '/servers', { name: 'with-key', server_type: 'cx22', image: 'ubuntu-24.04', ssh_keys: ['operator'] });
    expect(server.json.root_password).toBeNull();
  });
});

describe('Hetzner simulator: auth and rate limit', () => {
  it('answers 401 unauthorized and 401 token_readonly with the envelope and JSON content type', async () => {
    const none = await sim.hz('GET', '/servers', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/json/);
    expect(none.json.error).toEqual({ code: 'unauthorized', message: expect.any(String), details: null });
    expect((await sim.hz('GET', '/servers', undefined, 'wrong')).status).toBe(401);
    const ro = sim.credentials.hetznerReadOnlyToken;
    expect((await sim.hz('GET', '/servers', undefined, ro)).status).toBe(200);
    const write = await sim.hz('POST', '/servers', { name: 'ro-1', server_type: 'cx22', image: 'ubuntu-24.04' }, ro);
    expect(write.status).toBe(401);
    expect(write.json.error.code).toBe('token_readonly');
  });

  it('sends RateLimit-* headers on every response and 429 when the bucket is empty', async () => {
    const limited = await startTestSim({ rateLimit: { capacity: 5, refillPerSecond: 0 } });
    try {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.hz('GET', '/locations', undefined, i === 0 ? null : undefined);
        expect(r.headers.get('ratelimit-limit')).toBe('5');
        seen.push(Number(r.headers.get('ratelimit-remaining')));
      }
      expect(seen).toEqual([4, 3, 2, 1, 0]);
      const over = await limited.hz('GET', '/locations');
      expect(over.status).toBe(429);
      expect(over.json.error).toEqual({ code: 'rate_limit_exceeded', message: 'limit of 5 requests per hour reached', details: null });
      expect(Number(over.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      await limited.control.setRateLimit({ capacity: 10, remaining: 10, refillPerSecond: 1 });
      expect((await limited.hz('GET', '/locations')).status).toBe(200);
      await expectConformant(limited);
    } finally {
      await limited.close();
    }
  });
});
