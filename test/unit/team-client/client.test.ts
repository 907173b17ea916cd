// The team client's pieces without a server: the URL rule (https, http only to loopback), the one HTTP
// helper (bearer header, the contract's answer checked, the server's error as sent, anything else
// `unavailable` naming the server and never the token), and the event stream (SSE parsed from fetch,
// checked against the contract, reconnected after a drop).
import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { callTeam, parseTeamUrl, subscribeTeamEvents, type FetchLike } from '../../../electron/core/team-client';
import type { EventSink } from '../../../electron/core/ports';
import { waitUntil } from '../../fixtures/wait-until';

const TOKEN = 'outpost_pat_SECRET0123456789';
const endpoint = { url: 'https://team.example.test', token: TOKEN };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const refusal = async (p: Promise<unknown>): Promise<OutpostError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutpostError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('parseTeamUrl', () => {
  it('keeps the origin of an https address', () => {
    expect(parseTeamUrl(' https://Team.Example.test:8443/ ')).toBe('https://team.example.test:8443');
  });
  it('allows plain http only to this machine', () => {
    expect(parseTeamUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(parseTeamUrl('http://localhost:4000')).toBe('http://localhost:4000');
    expect(() => parseTeamUrl('http://team.example.test')).toThrow(/https:\/\//);
  });
  it('refuses credentials, paths, queries and other schemes', () => {
    for (const bad of ['https://a:b@team.example.test', 'https://team.example.test/panel', 'https://team.example.test/?x=1', 'ftp://team.example.test', 'team.example.test']) {
      expect(() => parseTeamUrl(bad), bad).toThrow(OutpostError);
    }
  });
});

describe('callTeam', () => {
  it('POSTs to rpc/<channel> with the bearer token and returns the checked answer', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetch: FetchLike = async (url, init) => {
      seen.push({ url, init });
      return json({ ok: true, data: [] });
    };
    expect(await callTeam(endpoint, 'payments:list', {}, { fetch })).toEqual([]);
    expect(seen[0]!.url).toBe('https://team.example.test/rpc/payments%3Alist');
    expect(seen[0]!.init.method).toBe('POST');
    expect((seen[0]!.init.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('throws the server\'s own error, and reports the server reachable', async () => {
    const reports: boolean[] = [];
    const err = await refusal(
      callTeam(endpoint, 'provision:start', {}, { fetch: async () => json({ ok: false, error: { code: 'read_only', message: 'Read-only: support.', hint: 'Ask.' } }, 200), onReachability: (r) => reports.push(r) }),
    );
    expect(err.toBody()).toEqual({ code: 'read_only', message: 'Read-only: support.', hint: 'Ask.' });
    expect(reports).toEqual([true]);
  });

  it('is unavailable, naming the server and not the token, when the network fails or something else answers', async () => {
    const reports: boolean[] = [];
    const onReachability = (r: boolean) => reports.push(r);
    const failing: FetchLike = async () => {
      throw new TypeError(`fetch failed for ${TOKEN}`);
    };
    const cases = [
      await refusal(callTeam(endpoint, 'jobs:list', {}, { fetch: failing, onReachability })),
      await refusal(callTeam(endpoint, 'jobs:list', {}, { fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }), onReachability })),
    ];
    for (const err of cases) {
      expect(err.code).toBe('unavailable');
      expect(err.message).toContain('team.example.test');
      expect(JSON.stringify(err.toBody())).not.toContain('SECRET');
    }
    expect(reports).toEqual([false, false]);
  });

  it('sends a read again once after a closed kept-alive connection, never a change', async () => {
    const stale = Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } });
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      if (calls === 1) throw stale;
      return json({ ok: true, data: [] });
    };
    expect(await callTeam(endpoint, 'jobs:list', {}, { fetch })).toEqual([]);
    expect(calls).toBe(2);
    calls = 0;
    expect((await refusal(callTeam(endpoint, 'provision:cancel', { jobId: 'j' }, { fetch }))).code).toBe('unavailable');
    expect(calls).toBe(1);
  });

  it('refuses an answer the contract does not know', async () => {
    const err = await refusal(callTeam(endpoint, 'payments:list', {}, { fetch: async () => json({ ok: true, data: { not: 'a list' } }) }));
    expect(err.message).toMatch(/in a form this Outpost does not know/);
  });

  it('gives up after the time limit', async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))));
    const err = await refusal(callTeam(endpoint, 'jobs:list', {}, { fetch: hang, timeoutMs: 20 }));
    expect(err.message).toMatch(/no answer in time/);
  });
});

describe('subscribeTeamEvents', () => {
  const stream = (chunks: string[]) =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
          controller.close();
        },
      }),
      { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
    );

  it('feeds contract events to the sink, drops unknown or malformed ones, and reconnects after a drop', async () => {
    const got: string[] = [];
    const sink: EventSink = { emit: (event) => void got.push(event) };
    let opened = 0;
    const reports: boolean[] = [];
    const fetch: FetchLike = async (url, init) => {
      opened += 1;
      expect(url).toBe('https://team.example.test/events');
      expect((init.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
      if (opened === 2) return new Response('nope', { status: 503 });
      // One valid-looking but non-contract payload, one unknown event, one split across chunks.
      return stream(['retry: 1000\n\n: keep-alive\n\n', 'event: instance:changed\ndata: {"instance":{"bad":true}}\n\n', 'event: future:thing\ndata: {}\n\nevent: job:prog', 'ress\ndata: not json\n\n']);
    };
    const events = subscribeTeamEvents(endpoint, sink, { fetch, backoffMs: 5, maxBackoffMs: 10, onReachability: (r) => reports.push(r) });
    await waitUntil(() => opened >= 3, 'three connection attempts');
    events.close();
    expect(got).toEqual([]); // nothing that failed the contract reached the sink
    expect(reports.slice(0, 4)).toEqual([true, false, false, true]);
  });
});
