// ensureServer (electron/core/hetzner/servers.ts) on a 503 `unavailable`: Hetzner's "not now", which
// made nothing. It is retried like an ambiguous POST — never blindly: a backoff, announced to the
// running step, then a lookup by label, then another POST, up to maxPosts — while a 503 that left
// the outcome unknown (an AmbiguousCreateError) keeps the ambiguous path. Written to kill the mutants
// StrykerJS found surviving (bench/results/mutation-survivors.md): each is a lost job or a duplicate.
import { describe, expect, it, vi } from 'vitest';
import { AmbiguousCreateError, HetznerError } from '../../../electron/core/hetzner/errors';
import type { HetznerHttp } from '../../../electron/core/hetzner/http';
import { ServersApi } from '../../../electron/core/hetzner/servers';
import { withWaitReporter, type WaitReport } from '../../../electron/core/wait-report';

const init = (status: number, apiCode: string) => ({ status, apiCode, message: apiCode, method: 'POST', path: '/servers', attempts: 1 });
const unavailable = () => new HetznerError(init(503, 'unavailable'));
const server = (id: number) => ({ id, name: `s${id}` });
const created = (id: number) => ({ server: server(id), action: { id: 100 + id, command: 'create_server' }, next_actions: [] });

/** A fake HetznerHttp: POSTs answer `posts` in order; a label lookup answers lookup(POSTs sent so far). */
function fake(posts: (unknown | Error)[], lookup: (postsSoFar: number) => { id: number; name: string }[]) {
  let sent = 0;
  const log: string[] = [];
  const request = vi.fn(async () => {
    const outcome = posts[sent++];
    log.push('POST');
    if (outcome instanceof Error) throw outcome;
    return outcome;
  });
  const get = vi.fn(async (path: string) => {
    if (path === '/servers') {
      log.push('lookup');
      return { servers: lookup(sent) };
    }
    return { actions: [], meta: { pagination: { next_page: null } } };
  });
  // The n-th retry's backoff: distinct per n, so the test sees which one was asked for.
  const retryDelay = vi.fn((retry: number) => 1000 * (retry + 1));
  const sleep = vi.fn(async (ms: number, _signal?: AbortSignal) => void log.push(`sleep ${ms}`));
  const warn = vi.fn();
  const api = new ServersApi({ request, get, retryDelay } as unknown as HetznerHttp, { warn } as never, sleep);
  return { api, request, sleep, warn, log };
}

const req = { name: 'agent-1', server_type: 'cx22', image: 'ubuntu-24.04', labels: { 'outpost.job': 'j1' } } as never;
const opts = { labelSelector: 'outpost.job=j1' };

/** Runs `work` as a job's step would, collecting the waits it announces. */
async function reported<T>(work: () => Promise<T>): Promise<{ result: Promise<T>; waits: WaitReport[] }> {
  const waits: WaitReport[] = [];
  const result = withWaitReporter((w) => void waits.push(w), work);
  await result.catch(() => undefined);
  return { result, waits };
}

describe('ensureServer after a 503 unavailable', () => {
  it('backs off (the first retry delay, announced), looks up by label, then POSTs again', async () => {
    const f = fake([unavailable(), created(5)], () => []);
    const signal = new AbortController().signal;
    const { result, waits } = await reported(() => f.api.ensureServer(req, { ...opts, signal }));
    await expect(result).resolves.toMatchObject({ outcome: 'created', posts: 2, server: server(5) });
    expect(f.log).toEqual(['lookup', 'POST', 'sleep 1000', 'lookup', 'POST']);
    expect(f.sleep).toHaveBeenCalledWith(1000, signal);
    expect(waits).toEqual([{ cloud: 'hetzner', reason: 'unavailable', delayMs: 1000, apiCode: 'unavailable' }]);
    // Not the ambiguous path: nothing was in doubt.
    expect(f.warn).not.toHaveBeenCalled();
  });

  it('a server the lookup finds after the backoff is the answer: no second POST', async () => {
    const f = fake([unavailable()], (postsSoFar) => (postsSoFar === 1 ? [server(6)] : []));
    await expect(f.api.ensureServer(req, opts)).resolves.toMatchObject({ outcome: 'found', posts: 1, server: server(6) });
    expect(f.log).toEqual(['lookup', 'POST', 'sleep 1000', 'lookup']);
  });

  it('each further 503 waits the next retry delay; after maxPosts (default 3) POSTs the last 503 is thrown', async () => {
    const last = unavailable();
    const f = fake([unavailable(), unavailable(), last], () => []);
    const { result, waits } = await reported(() => f.api.ensureServer(req, opts));
    await expect(result).rejects.toBe(last);
    expect(f.log).toEqual(['lookup', 'POST', 'sleep 1000', 'lookup', 'POST', 'sleep 2000', 'lookup', 'POST']);
    expect(waits.map((w) => w.delayMs)).toEqual([1000, 2000]);

    const two = fake([unavailable(), unavailable(), created(7)], () => []);
    await expect(two.api.ensureServer(req, { ...opts, maxPosts: 2 })).rejects.toMatchObject({ status: 503 });
    expect(two.request).toHaveBeenCalledTimes(2);
  });

  it('a 503 that left the outcome unknown takes the ambiguous path: lookups at once, no backoff', async () => {
    const f = fake([new AmbiguousCreateError(init(503, 'unavailable'), 'unavailable'), created(8)], () => []);
    const { result, waits } = await reported(() => f.api.ensureServer(req, { ...opts, lookups: 1 }));
    await expect(result).resolves.toMatchObject({ outcome: 'created', posts: 2 });
    expect(f.log).toEqual(['lookup', 'POST', 'lookup', 'POST']);
    expect(f.warn).toHaveBeenCalledWith('hetzner: create outcome unknown, looking the server up by label', { labelSelector: 'outpost.job=j1' });
    expect(waits).toEqual([]);
  });

  it('another 5xx is not "not now": thrown at once', async () => {
    const f = fake([new HetznerError(init(502, 'bad_gateway')), created(9)], () => []);
    await expect(f.api.ensureServer(req, opts)).rejects.toMatchObject({ status: 502 });
    expect(f.log).toEqual(['lookup', 'POST']);
  });
});
