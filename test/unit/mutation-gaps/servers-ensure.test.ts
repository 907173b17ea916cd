// ServersApi (electron/core/hetzner/servers.ts) on a fake HetznerHttp: ensureServer's idempotency
// — a lookup by label before every POST, never a second POST while the first may have landed, the
// number of lookups, the pause between them, the POST budget — and the requests each call sends
// (priority, query, sort). Written to kill the mutants StrykerJS found surviving the client tests
// (bench/results/mutation-survivors.md): each one is a duplicate server (money) or an orphan.
import { describe, expect, it, vi } from 'vitest';
import { ServersApi } from '../../../electron/core/hetzner/servers';
import { AmbiguousCreateError, HetznerError } from '../../../electron/core/hetzner/errors';
import type { HetznerHttp } from '../../../electron/core/hetzner/http';

const init = (status: number, apiCode: string) => ({ status, apiCode, message: apiCode, method: 'POST', path: '/servers', attempts: 1 });
const ambiguous = () => new AmbiguousCreateError(init(0, 'timeout'), 'timeout');
const refused = (status: number, apiCode: string) => new HetznerError(init(status, apiCode));
const server = (id: number) => ({ id, name: `s${id}` });
const created = (id: number) => ({ server: server(id), action: { id: 100 + id, command: 'create_server' }, next_actions: [{ id: 200 + id, command: 'start_server' }] });

interface Script {
  /** Each POST's outcome, in order: a value is the answer, an Error is thrown. */
  posts: (unknown | Error)[];
  /** The servers a label lookup answers, given how many POSTs were sent so far and the lookup's index. */
  lookup: (postsSoFar: number, lookupIndex: number) => { id: number; name: string }[];
}

function fake(script: Script) {
  let posts = 0;
  let lookups = 0;
  const log: string[] = [];
  const request = vi.fn(async (method: string, path: string, _options: Record<string, unknown>) => {
    if (method === 'POST') {
      const outcome = script.posts[posts++];
      log.push('POST');
      if (outcome instanceof Error) throw outcome;
      return outcome;
    }
    throw new Error(`unexpected ${method} ${path}`);
  });
  const get = vi.fn(async (path: string, options: { query?: Record<string, unknown> }) => {
    if (path === '/servers' && options.query?.label_selector !== undefined && options.query.per_page === 50 && options.query.page === undefined) {
      log.push('lookup');
      return { servers: script.lookup(posts, lookups++) };
    }
    if (path.endsWith('/actions')) return { actions: [{ id: 1, command: 'create_server' }], meta: { pagination: { next_page: null } } };
    throw new Error(`unexpected GET ${path}`);
  });
  const sleep = vi.fn(async (_ms: number, _signal?: AbortSignal) => void log.push('sleep'));
  const warn = vi.fn();
  const api = new ServersApi({ request, get } as unknown as HetznerHttp, { warn } as never, sleep);
  return { api, request, get, sleep, warn, log };
}

const req = { name: 'agent-1', server_type: 'cx22', image: 'ubuntu-24.04', labels: { 'outpost.job': 'j1' } } as never;
const opts = { labelSelector: 'outpost.job=j1' };

describe('ensureServer', () => {
  it('an answered POST is created, with create_server and next_actions, after one lookup', async () => {
    const f = fake({ posts: [created(8)], lookup: () => [] });
    await expect(f.api.ensureServer(req, opts)).resolves.toEqual({
      server: server(8),
      actions: [
        { id: 108, command: 'create_server' },
        { id: 208, command: 'start_server' },
      ],
      outcome: 'created',
      posts: 1,
    });
    expect(f.log).toEqual(['lookup', 'POST']);
  });

  it('an ambiguous POST is followed by lookups (default three, 2 s apart), and the found server is the answer', async () => {
    const f = fake({ posts: [ambiguous()], lookup: (posts, i) => (posts === 1 && i === 3 ? [server(9)] : []) });
    await expect(f.api.ensureServer(req, opts)).resolves.toMatchObject({ outcome: 'found', posts: 1, server: { id: 9 } });
    expect(f.log).toEqual(['lookup', 'POST', 'lookup', 'sleep', 'lookup', 'sleep', 'lookup']);
    expect(f.sleep.mock.calls.map(([ms]) => ms)).toEqual([2000, 2000]);
    expect(f.warn).toHaveBeenCalledWith('hetzner: create outcome unknown, looking the server up by label', { labelSelector: 'outpost.job=j1' });
  });

  it('honours lookups and lookupDelayMs, and POSTs again only after every lookup found nothing', async () => {
    const f = fake({ posts: [ambiguous(), created(5)], lookup: () => [] });
    await expect(f.api.ensureServer(req, { ...opts, lookups: 2, lookupDelayMs: 10 })).resolves.toMatchObject({ outcome: 'created', posts: 2 });
    expect(f.log).toEqual(['lookup', 'POST', 'lookup', 'sleep', 'lookup', 'POST']);
    expect(f.sleep.mock.calls.map(([ms]) => ms)).toEqual([10]);
  });

  it('stops after maxPosts (default 3) ambiguous POSTs and throws the last ambiguity', async () => {
    const last = ambiguous();
    const f = fake({ posts: [ambiguous(), ambiguous(), last], lookup: () => [] });
    await expect(f.api.ensureServer(req, { ...opts, lookups: 1 })).rejects.toBe(last);
    expect(f.log).toEqual(['lookup', 'POST', 'lookup', 'POST', 'lookup', 'POST', 'lookup']);
    const g = fake({ posts: [ambiguous(), ambiguous()], lookup: () => [] });
    await expect(g.api.ensureServer(req, { ...opts, lookups: 1, maxPosts: 2 })).rejects.toBeInstanceOf(AmbiguousCreateError);
    expect(g.request).toHaveBeenCalledTimes(2);
  });

  it('a plain refusal (not ambiguous) is thrown at once: no lookup, no second POST', async () => {
    const f = fake({ posts: [refused(422, 'invalid_input')], lookup: () => [] });
    await expect(f.api.ensureServer(req, opts)).rejects.toMatchObject({ apiCode: 'invalid_input' });
    expect(f.log).toEqual(['lookup', 'POST']);
  });

  it('a uniqueness_error on the first POST is a real name clash, thrown; after an ambiguous POST it means ours landed', async () => {
    const clash = fake({ posts: [refused(409, 'uniqueness_error')], lookup: () => [] });
    await expect(clash.api.ensureServer(req, opts)).rejects.toMatchObject({ apiCode: 'uniqueness_error' });
    expect(clash.log).toEqual(['lookup', 'POST']);

    const landed = fake({ posts: [ambiguous(), refused(409, 'uniqueness_error')], lookup: (posts) => (posts === 2 ? [server(4)] : []) });
    await expect(landed.api.ensureServer(req, { ...opts, lookups: 1 })).resolves.toMatchObject({ outcome: 'found', posts: 2, server: { id: 4 } });
    expect(landed.log).toEqual(['lookup', 'POST', 'lookup', 'POST', 'lookup']);

    // Another refusal after an ambiguous POST is still thrown.
    const other = fake({ posts: [ambiguous(), refused(403, 'forbidden')], lookup: () => [] });
    await expect(other.api.ensureServer(req, { ...opts, lookups: 1 })).rejects.toMatchObject({ apiCode: 'forbidden' });
    // A non-Hetzner failure after an ambiguous POST is not mistaken for a clash.
    const bug = fake({ posts: [ambiguous(), Object.assign(new Error('bug'), { apiCode: 'uniqueness_error' })], lookup: () => [] });
    await expect(bug.api.ensureServer(req, { ...opts, lookups: 1 })).rejects.toThrow('bug');
    expect(bug.request).toHaveBeenCalledTimes(2);
  });

  it('a server found up front is the answer, with its actions, and nothing is POSTed', async () => {
    const f = fake({ posts: [], lookup: () => [server(3)] });
    await expect(f.api.ensureServer(req, opts)).resolves.toEqual({ server: server(3), actions: [{ id: 1, command: 'create_server' }], outcome: 'found', posts: 0 });
    expect(f.request).not.toHaveBeenCalled();
  });
});

describe('the requests ServersApi sends', () => {
  it('findServerByLabel: mutation priority, oldest first, 50 per page; warns when a unique selector matches several', async () => {
    const f = fake({ posts: [], lookup: () => [server(1), server(2)] });
    await expect(f.api.findServerByLabel('outpost.job=j1')).resolves.toEqual(server(1));
    expect(f.get).toHaveBeenCalledWith('/servers', { query: { label_selector: 'outpost.job=j1', sort: 'id:asc', per_page: 50 }, priority: 'mutation', signal: undefined });
    expect(f.warn).toHaveBeenCalledWith('hetzner: several servers match one unique selector', { labelSelector: 'outpost.job=j1', ids: [1, 2] });
    const one = fake({ posts: [], lookup: () => [server(1)] });
    await one.api.findServerByLabel('x');
    expect(one.warn).not.toHaveBeenCalled();
    // Without a logger (the CLI's quiet mode) several matches are still answered, not a crash.
    const quiet = new ServersApi({ get: async () => ({ servers: [server(1), server(2)] }), request: vi.fn() } as unknown as HetznerHttp);
    await expect(quiet.findServerByLabel('x')).resolves.toEqual(server(1));
    const none = fake({ posts: [], lookup: () => [] });
    await expect(none.api.findServerByLabel('x')).resolves.toBeNull();
  });

  it('create: one POST /servers at mutation priority, never retried by the transport', async () => {
    const f = fake({ posts: [created(1)], lookup: () => [] });
    const signal = new AbortController().signal;
    await f.api.create(req, { signal });
    expect(f.request).toHaveBeenCalledWith('POST', '/servers', { body: req, priority: 'mutation', idempotent: false, signal });
  });

  it('get, list and actions: their paths, priorities, sorts and filters', async () => {
    const get = vi.fn(async (path: string) => (path === '/servers/5' ? { server: server(5) } : { servers: [server(1)], actions: [], meta: { pagination: { next_page: null } } }));
    const api = new ServersApi({ get, request: vi.fn() } as unknown as HetznerHttp);
    await expect(api.get(5)).resolves.toEqual(server(5));
    expect(get).toHaveBeenLastCalledWith('/servers/5', { priority: 'wait', signal: undefined });
    await api.get(5, { priority: 'sync' });
    expect(get).toHaveBeenLastCalledWith('/servers/5', { priority: 'sync', signal: undefined });
    await expect(api.list({ labelSelector: 'a=b' })).resolves.toEqual([server(1)]);
    expect(get).toHaveBeenLastCalledWith('/servers', { priority: 'sync', signal: undefined, query: { label_selector: 'a=b', name: undefined, status: undefined, sort: 'id:asc', page: 1, per_page: 50 } });
    await api.list({ sort: 'name:desc' }, { priority: 'wait' });
    expect(get).toHaveBeenLastCalledWith('/servers', expect.objectContaining({ priority: 'wait', query: expect.objectContaining({ sort: 'name:desc' }) }));
    await api.actions(5, { status: ['running'] });
    expect(get).toHaveBeenLastCalledWith('/servers/5/actions', { priority: 'wait', signal: undefined, query: { status: ['running'], sort: 'id:desc', page: 1, per_page: 50 } });
  });

  it('delete: DELETE at mutation priority; 404 is null, any other error (or a non-Hetzner 404) is thrown', async () => {
    const request = vi.fn(async () => ({ action: { id: 1, command: 'delete_server' } }));
    const api = new ServersApi({ request, get: vi.fn() } as unknown as HetznerHttp);
    await expect(api.delete(5)).resolves.toEqual({ id: 1, command: 'delete_server' });
    expect(request).toHaveBeenCalledWith('DELETE', '/servers/5', { priority: 'mutation', signal: undefined });
    request.mockRejectedValueOnce(new HetznerError({ ...init(404, 'not_found'), method: 'DELETE' }));
    await expect(api.delete(5)).resolves.toBeNull();
    request.mockRejectedValueOnce(new HetznerError({ ...init(423, 'locked'), method: 'DELETE' }));
    await expect(api.delete(5)).rejects.toMatchObject({ apiCode: 'locked' });
    request.mockRejectedValueOnce(Object.assign(new Error('not hetzner'), { status: 404 }));
    await expect(api.delete(5)).rejects.toThrow('not hetzner');
  });
});
