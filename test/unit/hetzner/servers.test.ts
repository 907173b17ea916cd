import { describe, expect, it } from 'vitest';
import { HetznerClient } from '../../../electron/core/hetzner';
import { isAmbiguousCreate } from '../../../electron/core/hetzner/errors';
import { apiError, json, recordingSleep, scriptedFetch, type Call, type Reply } from './helpers';

const server = (id: number, labels: Record<string, string> = {}) => ({
  id,
  name: `s${id}`,
  status: 'initializing',
  created: '2026-08-20T10:00:00Z',
  public_net: { ipv4: { ip: '203.0.113.10' }, ipv6: { ip: '2001:db8::/64' } },
  labels,
});
const action = (id: number, command: string, status = 'running') => ({ id, command, status, progress: 0, started: '2026-08-20T10:00:00Z', finished: null, resources: [], error: null });
const page = (key: string, items: unknown[], next: number | null = null) => ({ [key]: items, meta: { pagination: { page: 1, per_page: 50, next_page: next } } });

function make(route: (call: Call, n: number) => Reply) {
  const f = scriptedFetch(route);
  const s = recordingSleep();
  const client = new HetznerClient({ token: 'tok-0123456789', baseUrl: 'http://hz.test/v1', fetch: f.fetch, sleep: s.sleep, random: () => 0, timeoutMs: 20 });
  return { client, calls: f.calls };
}
const req = { name: 'agent-1', server_type: 'cx22', image: 'ubuntu-24.04', labels: { 'outpost.managed': 'true', 'outpost.job': 'j1' } };
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST').length;

/** Hetzner makes server 8 from the POST but its answer is lost; lookups find it from then on. */
function postLandsAnswerLost(): (c: Call) => Reply {
  let created = false;
  return (c) => {
    if (c.method === 'POST') {
      created = true;
      return { hang: true };
    }
    if (c.url.includes('/servers/8/actions')) return json(200, page('actions', [action(2, 'start_server'), action(1, 'create_server')]));
    return json(200, page('servers', created ? [server(8)] : []));
  };
}

describe('ServersApi.ensureServer', () => {
  it('returns the server found by label without POSTing', async () => {
    const { client, calls } = make((c) =>
      c.url.includes('/actions') ? json(200, page('actions', [action(5, 'create_server', 'success')])) : json(200, page('servers', [server(7)])),
    );
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1' });
    expect(r).toMatchObject({ outcome: 'found', posts: 0, server: { id: 7 } });
    expect(r.actions.map((a) => a.id)).toEqual([5]);
    expect(posts(calls)).toBe(0);
    expect(calls[0]!.url).toContain('label_selector=outpost.job%3Dj1');
  });

  it('creates once and returns create_server + next_actions', async () => {
    const { client, calls } = make((c) =>
      c.method === 'POST'
        ? json(201, { server: server(8), action: action(1, 'create_server'), next_actions: [action(2, 'start_server')], root_password: null })
        : json(200, page('servers', [])),
    );
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1' });
    expect(r).toMatchObject({ outcome: 'created', posts: 1 });
    expect(r.actions.map((a) => a.command)).toEqual(['create_server', 'start_server']);
    expect(JSON.parse(calls.find((c) => c.method === 'POST')!.body!)).toMatchObject({ labels: req.labels });
  });

  it('with firstPost (nothing ever posted for the selector), POSTs without a lookup', async () => {
    const { client, calls } = make((c) =>
      c.method === 'POST'
        ? json(201, { server: server(8), action: action(1, 'create_server'), next_actions: [action(2, 'start_server')], root_password: null })
        : json(200, page('servers', [server(3)])),
    );
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1', firstPost: true });
    expect(r).toMatchObject({ outcome: 'created', posts: 1, server: { id: 8 } });
    expect(calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('with firstPost, an ambiguous POST is still followed by a lookup, never by a blind second POST', async () => {
    const { client, calls } = make(postLandsAnswerLost());
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1', firstPost: true });
    expect(r).toMatchObject({ outcome: 'found', posts: 1, server: { id: 8 } });
    expect(calls[0]!.method).toBe('POST');
    expect(posts(calls)).toBe(1);
  });

  it('with firstPost, a name taken by some other server fails: nothing of ours can hold it', async () => {
    const { client, calls } = make((c) => (c.method === 'POST' ? apiError(409, 'uniqueness_error') : json(200, page('servers', []))));
    const err = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1', firstPost: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ apiCode: 'uniqueness_error' });
    expect(posts(calls)).toBe(1);
  });

  it('after an ambiguous POST, finds the server by label instead of POSTing again', async () => {
    const { client, calls } = make(postLandsAnswerLost());
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1' });
    expect(r).toMatchObject({ outcome: 'found', posts: 1, server: { id: 8 } });
    expect(posts(calls)).toBe(1);
  });

  it('POSTs again only when lookups prove nothing was created; a later uniqueness_error means ours landed', async () => {
    let n = 0;
    let landed = false;
    const { client, calls } = make((c) => {
      if (c.method === 'POST') {
        n++;
        if (n === 1) return apiError(500, 'server_error');
        landed = true;
        return apiError(409, 'uniqueness_error', 'server name is already used');
      }
      if (c.url.includes('/actions')) return json(200, page('actions', []));
      return json(200, page('servers', landed ? [server(9)] : []));
    });
    const r = await client.servers.ensureServer(req, { labelSelector: 'outpost.job=j1', lookups: 2, lookupDelayMs: 0 });
    expect(r).toMatchObject({ outcome: 'found', posts: 2, server: { id: 9 } });
    expect(posts(calls)).toBe(2);
  });

  it('createServer surfaces ambiguity as a distinguishable error', async () => {
    const { client } = make(() => ({ network: true }));
    const err = await client.servers.create(req).catch((e: unknown) => e);
    expect(isAmbiguousCreate(err)).toBe(true);
    expect(err).toMatchObject({ name: 'AmbiguousCreateError', reason: 'network_error', status: 0 });
  });

  it('delete returns the action, or null when already gone', async () => {
    const { client } = make((c) => (c.url.endsWith('/servers/1') ? json(200, { action: action(3, 'delete_server') }) : apiError(404, 'not_found')));
    await expect(client.servers.delete(1)).resolves.toMatchObject({ id: 3, command: 'delete_server' });
    await expect(client.servers.delete(2)).resolves.toBeNull();
  });
});

describe('paginate and actions', () => {
  it('follows next_page until null', async () => {
    const { client, calls } = make((c) => {
      const p = Number(new URL(c.url).searchParams.get('page'));
      return json(200, page('servers', [server(p)], p < 3 ? p + 1 : null));
    });
    const ids: number[] = [];
    for await (const s of client.paginate<{ id: number }>('/servers', { label_selector: 'outpost.managed=true' })) ids.push(s.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(calls.map((c) => new URL(c.url).searchParams.get('per_page'))).toEqual(['50', '50', '50']);
  });

  it('getMany batches at most 25 ids per request', async () => {
    const { client, calls } = make((c) => {
      const ids = new URL(c.url).searchParams.getAll('id').map(Number);
      return json(200, { actions: ids.map((id) => action(id, 'create_server')) });
    });
    const ids = [...Array(60)].map((_, i) => i + 1);
    const actions = await client.actions.getMany(ids);
    expect(actions).toHaveLength(60);
    expect(calls.map((c) => new URL(c.url).searchParams.getAll('id').length)).toEqual([25, 25, 10]);
  });
});
