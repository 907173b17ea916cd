// The Hetzner client against the simulator with injected faults: retries that succeed, typed
// failures that keep the API's code and message, and a create that is never sent twice blindly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HetznerError, isAmbiguousCreate } from '../../../electron/core/hetzner/errors';
import { clearFaults, createRequest, fault, hetzner, lastSeq, requests, start, type Sim } from './helpers';

let sim: Sim;
let since = 0;
beforeAll(async () => {
  sim = await start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await clearFaults(sim);
  since = await lastSeq(sim);
});
const logged = async (method: string, pathPrefix: string) =>
  (await requests(sim, since)).filter((r) => r.method === method && r.path.startsWith(`/hetzner/v1${pathPrefix}`));

describe('Hetzner client retries against the simulator', () => {
  it.each([
    ['a burst of 429', { status: 429, code: 'rate_limit_exceeded', count: 3 }],
    ['502 bad_gateway', { status: 502, code: 'bad_gateway', count: 2 }],
    ['504 timeout', { status: 504, code: 'timeout', count: 2 }],
    ['409 conflict', { status: 409, code: 'conflict', count: 2 }],
    ['connection resets', { reset: true, count: 2 }],
    ['malformed JSON', { malformed: true, count: 2 }],
    ['a hang', { hang: true, count: 1 }],
  ])('GET survives %s', async (_name, spec) => {
    await fault(sim, { method: 'GET', path: '/hetzner/v1/locations', ...spec });
    const client = hetzner(sim, { timeoutMs: 300 });
    const locations = await client.catalog.refresh().then((c) => c.locations);
    expect(locations.length).toBeGreaterThan(0);
    const attempts = await logged('GET', '/locations');
    expect(attempts.length).toBe((spec.count ?? 0) + 1);
    expect(attempts.at(-1)!.status).toBe(200);
  });

  it('gives up after 5 retries with a typed error keeping code, message and correlation id', async () => {
    await fault(sim, { method: 'GET', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'maintenance window' });
    await fault(sim, { method: 'GET', path: '/hetzner/v1/server_types', status: 502, code: 'bad_gateway', message: 'upstream down' });
    const client = hetzner(sim);
    const notRetried = (await client.servers.list().catch((e: unknown) => e)) as HetznerError;
    expect(notRetried).toBeInstanceOf(HetznerError);
    expect(notRetried).toMatchObject({ status: 503, apiCode: 'unavailable', code: 'unavailable', attempts: 1 });
    expect(notRetried.message).toContain('maintenance window');
    expect(notRetried.correlationId).toMatch(/\w+/);
    const exhausted = (await client.paginate('/server_types').next().catch((e: unknown) => e)) as HetznerError;
    expect(exhausted).toMatchObject({ status: 502, apiCode: 'bad_gateway', attempts: 6 });
    expect(exhausted.message).toContain('upstream down');
    expect(await logged('GET', '/server_types')).toHaveLength(6);
  });

  it('retries a POST /servers refused with 429 or conflict (nothing was created)', async () => {
    await fault(sim, { method: 'POST', path: '/hetzner/v1/servers', status: 409, code: 'conflict', count: 1 });
    await fault(sim, { method: 'POST', path: '/hetzner/v1/servers', status: 429, code: 'rate_limit_exceeded', count: 1 });
    const client = hetzner(sim);
    const created = await client.servers.create(createRequest('refused-then-ok', 'job-refused'));
    expect(created.server.labels['outpost.job']).toBe('job-refused');
    expect(await logged('POST', '/servers')).toHaveLength(3);
  });

  it.each([
    ['hang after processing', { hang: true }],
    ['reset after processing', { reset: true }],
    ['malformed answer after processing', { malformed: true }],
  ])('POST /servers is never retried blindly: %s → one POST, found by label', async (name, spec) => {
    await fault(sim, { method: 'POST', path: '/hetzner/v1/servers', phase: 'after', count: 1, ...spec });
    const client = hetzner(sim, { timeoutMs: 300 });
    const job = `job-amb-${name.split(' ')[0]}`;
    const req = createRequest(`amb-${name.split(' ')[0]}`, job);
    // The raw create reports the ambiguity distinguishably...
    const err = await client.servers.create(req).catch((e: unknown) => e);
    expect(isAmbiguousCreate(err)).toBe(true);
    // ...and the pipeline's create looks the server up by label instead of POSTing again.
    const ensured = await client.servers.ensureServer(req, { labelSelector: `outpost.job=${job}`, lookupDelayMs: 50 });
    expect(ensured.outcome).toBe('found');
    expect(ensured.server.labels['outpost.job']).toBe(job);
    expect(ensured.actions.some((a) => a.command === 'create_server')).toBe(true);
    expect(await logged('POST', '/servers')).toHaveLength(1);
    const all = await client.servers.list({ labelSelector: `outpost.job=${job}` });
    expect(all).toHaveLength(1);
  });

  it('ensureServer recovers from an ambiguous failure in one call', async () => {
    await fault(sim, { method: 'POST', path: '/hetzner/v1/servers', phase: 'after', hang: true, count: 1 });
    const client = hetzner(sim, { timeoutMs: 300 });
    const r = await client.servers.ensureServer(createRequest('amb-one-call', 'job-one-call'), { labelSelector: 'outpost.job=job-one-call', lookupDelayMs: 50 });
    expect(r).toMatchObject({ outcome: 'found', posts: 1 });
    expect(await logged('POST', '/servers')).toHaveLength(1);
  });

  it('surfaces a refused create with the API code and details, without retrying', async () => {
    const client = hetzner(sim);
    const err = (await client.servers.create({ ...createRequest('bad-loc', 'job-bad'), location: 'nowhere' }).catch((e: unknown) => e)) as HetznerError;
    expect(err).toBeInstanceOf(HetznerError);
    expect(isAmbiguousCreate(err)).toBe(false);
    expect(err.apiCode).toBe('invalid_input');
    expect(err.status).toBe(422);
    expect(await logged('POST', '/servers')).toHaveLength(1);
  });
});
