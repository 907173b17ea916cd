// @vitest-environment happy-dom
// The panel's HTTP client on a team server: every call carries the session's CSRF token (read once from
// auth/session, read again when the server refuses it), and a 401 sends the browser to sign in. In
// browser mode (the URL secret) it does neither.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpApi, servedByTeamServer } from '../../renderer/src/api/http-client';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
}

const BASE = new URL('https://outpost.example.test/');
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake fetch answering from `answers` in order, recording what was asked. */
function fakeFetch(answers: Response[]): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (url: URL | string, init: RequestInit = {}) => {
    seen.push({ url: String(url), method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string> | undefined) } });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request to ${String(url)}`);
    return next;
  });
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the HTTP client on a team server', () => {
  it('reads the CSRF token once and sends it with every call', async () => {
    const seen = fakeFetch([
      json(200, { ok: true, data: { via: 'session', csrfToken: 'csrf-1', user: { name: 'Ana' } } }),
      json(200, { ok: true, data: { name: 'Outpost' } }),
      json(200, { ok: true, data: [] }),
    ]);
    const api = createHttpApi(BASE, { team: true, onSignedOut: () => undefined });
    await api.call('app:info', {});
    await api.call('payments:list', {});
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET https://outpost.example.test/auth/session',
      'POST https://outpost.example.test/rpc/app%3Ainfo',
      'POST https://outpost.example.test/rpc/payments%3Alist',
    ]);
    expect(seen[1]!.headers['X-Outpost-CSRF']).toBe('csrf-1');
    expect(seen[2]!.headers['X-Outpost-CSRF']).toBe('csrf-1');
  });

  it('reads the token again and retries once when the server refuses it (a newer session in another tab)', async () => {
    const seen = fakeFetch([
      json(200, { ok: true, data: { csrfToken: 'old' } }),
      json(403, { ok: false, error: { code: 'forbidden', message: "The request did not carry this session's CSRF token." } }),
      json(200, { ok: true, data: { csrfToken: 'new' } }),
      json(200, { ok: true, data: { name: 'Outpost' } }),
    ]);
    const api = createHttpApi(BASE, { team: true, onSignedOut: () => undefined });
    await expect(api.call('app:info', {})).resolves.toEqual({ name: 'Outpost' });
    expect(seen[3]!.headers['X-Outpost-CSRF']).toBe('new');
  });

  it('sends the browser to sign in when nobody is signed in, or the session ends', async () => {
    const signIns: string[] = [];
    fakeFetch([json(401, { ok: false, error: { code: 'unauthorized', message: 'Sign in first.' } })]);
    const api = createHttpApi(BASE, { team: true, onSignedOut: (url) => signIns.push(url.href) });
    await expect(api.call('app:info', {})).rejects.toMatchObject({ code: 'unauthorized', message: 'Sign in first.' });
    fakeFetch([
      json(200, { ok: true, data: { csrfToken: 'c' } }),
      json(401, { ok: false, error: { code: 'unauthorized', message: 'Your session has ended.' } }),
    ]);
    await expect(api.call('app:info', {})).rejects.toMatchObject({ code: 'unauthorized' });
    expect(signIns).toEqual(['https://outpost.example.test/signin', 'https://outpost.example.test/signin']);
  });

  it('is recognised by the page\'s marker', () => {
    document.head.innerHTML = '';
    expect(servedByTeamServer(document)).toBe(false);
    document.head.innerHTML = '<meta name="outpost-server" content="team" />';
    expect(servedByTeamServer(document)).toBe(true);
  });
});

describe('the HTTP client in browser mode', () => {
  it('sends no CSRF header, asks for no session, and does not treat a cloud\'s "unauthorized" as signed out', async () => {
    const signedOut = vi.fn();
    const seen = fakeFetch([json(200, { ok: false, error: { code: 'unauthorized', message: 'Hetzner refused the token.' } })]);
    const api = createHttpApi(new URL('http://127.0.0.1:5000/secret/'), { onSignedOut: signedOut });
    await expect(api.call('tokens:test', { provider: 'hetzner' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('http://127.0.0.1:5000/secret/rpc/tokens%3Atest');
    expect(seen[0]!.headers['X-Outpost-CSRF']).toBeUndefined();
    expect(signedOut).not.toHaveBeenCalled();
  });
});
