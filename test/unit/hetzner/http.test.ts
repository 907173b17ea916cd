import { describe, expect, it } from 'vitest';
import { AmbiguousCreateError, HetznerError, isAmbiguousCreate } from '../../../electron/core/hetzner/errors';
import { buildQuery, HetznerHttp, type RequestEvent } from '../../../electron/core/hetzner/http';
import { RateBudget } from '../../../electron/core/hetzner/rate-budget';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../electron/core/http/fetch';
import { apiError, json, recordingSleep, scriptedFetch, type Reply } from './helpers';
import { waitUntil } from '../../fixtures/wait-until';

const TOKEN = 'hz-secret-token-0123456789abcdef';

function client(script: Reply[], extra: { timeoutMs?: number } = {}) {
  const f = scriptedFetch(script);
  const s = recordingSleep();
  const events: RequestEvent[] = [];
  const http = new HetznerHttp({
    token: TOKEN,
    baseUrl: 'http://hz.test/v1/',
    fetch: f.fetch,
    sleep: s.sleep,
    random: () => 0.5,
    timeoutMs: extra.timeoutMs ?? 1000,
    onRequest: (e) => events.push(e),
    budget: new RateBudget({ sleep: s.sleep }),
  });
  return { http, calls: f.calls, slept: s.slept, events };
}

describe('HetznerHttp', () => {
  it('sends Bearer auth, JSON and repeated query params to the configured base URL', async () => {
    const { http, calls } = client([json(200, { actions: [] })]);
    await http.get('/actions', { query: { id: [1, 2], sort: 'id', skip: undefined } });
    expect(calls[0]!.url).toBe('http://hz.test/v1/actions?id=1&id=2&sort=id');
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(buildQuery({ label_selector: 'outpost.job=j1' })).toBe('label_selector=outpost.job%3Dj1');
  });

  it.each([
    ['conflict', apiError(409, 'conflict')],
    ['rate_limit_exceeded', apiError(429, 'rate_limit_exceeded')],
    ['bad_gateway', apiError(502, 'bad_gateway')],
    ['timeout', apiError(504, 'timeout')],
    ['502 without JSON', { status: 502, raw: '<html>bad gateway</html>' }],
    ['504 without JSON', { status: 504, raw: '' }],
    ['network reset', { network: true } as const],
    ['malformed JSON on a GET', { status: 200, raw: '{"server": {"id": 1' }],
  ])('retries %s and then succeeds', async (_name, fault) => {
    const { http, calls, slept } = client([fault, fault, json(200, { server: { id: 1 } })]);
    await expect(http.get('/servers/1')).resolves.toEqual({ server: { id: 1 } });
    expect(calls).toHaveLength(3);
    // jittered exponential: retry n waits in [1 s, min(60, 2^n) s]; random 0.5 → 1000, 1500
    expect(slept).toEqual([1000, 1500]);
  });

  it('retries a hang (per-request timeout) and succeeds', async () => {
    const { http, calls } = client([{ hang: true }, json(200, { ok: 1 })], { timeoutMs: 20 });
    await expect(http.get('/locations')).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  it('gives up after 5 retries with a typed error keeping code, message, details and correlation id', async () => {
    const fault: Reply = {
      status: 429,
      body: { error: { code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached', details: { x: 1 } } },
      headers: { 'x-correlation-id': 'abc123' },
    };
    const { http, calls, slept } = client([fault]);
    const err = (await http.get('/servers').catch((e: unknown) => e)) as HetznerError;
    expect(err).toBeInstanceOf(HetznerError);
    expect(calls).toHaveLength(6);
    expect(slept).toHaveLength(5);
    expect(err.status).toBe(429);
    expect(err.apiCode).toBe('rate_limit_exceeded');
    expect(err.code).toBe('rate_limited');
    expect(err.details).toEqual({ x: 1 });
    expect(err.correlationId).toBe('abc123');
    expect(err.message).toContain('limit of 3600 requests per hour reached');
    expect(err.attempts).toBe(6);
    expect(JSON.stringify({ ...err, m: err.message, s: err.stack })).not.toContain(TOKEN);
  });

  it('does not retry other API errors', async () => {
    const { http, calls } = client([apiError(412, 'resource_unavailable', 'error during placement')]);
    const err = (await http.request('DELETE', '/servers/1').catch((e: unknown) => e)) as HetznerError;
    expect(calls).toHaveLength(1);
    expect(err.code).toBe('unavailable');
    expect(err.apiCode).toBe('resource_unavailable');
    expect(err).not.toBeInstanceOf(AmbiguousCreateError);
  });

  it('does not retry a malformed success of a non-GET', async () => {
    const { http, calls } = client([{ status: 200, raw: 'not json' }]);
    await expect(http.request('DELETE', '/servers/1')).rejects.toMatchObject({ apiCode: 'malformed_response' });
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['timeout', { hang: true } as const],
    ['reset', { network: true } as const],
    ['500', apiError(500, 'server_error')],
    ['502 plain', { status: 502, raw: 'bad gateway' }],
    ['malformed 201', { status: 201, raw: '{"server":' }],
  ])('never repeats a non-idempotent POST after an ambiguous %s', async (_name, fault) => {
    const { http, calls } = client([fault, json(201, {})], { timeoutMs: 20 });
    const err = await http.request('POST', '/servers', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(isAmbiguousCreate(err)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['429', apiError(429, 'rate_limit_exceeded')],
    ['conflict', apiError(409, 'conflict')],
  ])('repeats a POST refused with %s (nothing was created)', async (_name, fault) => {
    const { http, calls } = client([fault, json(201, { server: { id: 9 } })]);
    await expect(http.request('POST', '/servers', { body: {} })).resolves.toEqual({ server: { id: 9 } });
    expect(calls).toHaveLength(2);
  });

  it('turns a caller abort into cancelled without retrying', async () => {
    const { http, calls } = client([{ hang: true }], { timeoutMs: 10_000 });
    const ac = new AbortController();
    const p = http.get('/servers', { signal: ac.signal });
    await waitUntil(() => calls.length === 1, 'the request to hang');
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toHaveLength(1);
  });

  it('reports every attempt to observers', async () => {
    const { http, events } = client([apiError(409, 'conflict'), json(200, {})]);
    await http.get('/servers', { priority: 'wait' });
    expect(events.map((e) => [e.outcome, e.status, e.apiCode, e.priority, e.attempt])).toEqual([
      ['retry', 409, 'conflict', 'wait', 1],
      ['ok', 200, undefined, 'wait', 2],
    ]);
  });

  it('backoff stays within [1 s, min(60 s, 2^n s)]', () => {
    for (let n = 0; n < 10; n++) {
      expect(backoffDelay(n, DEFAULT_BACKOFF, () => 0)).toBe(1000);
      expect(backoffDelay(n, DEFAULT_BACKOFF, () => 1)).toBe(Math.min(60_000, 1000 * 2 ** n));
    }
  });
});
