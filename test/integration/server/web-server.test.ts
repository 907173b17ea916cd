// Browser mode's server against real sockets: only this run's pages may call it.
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { MemorySettings } from '../../../electron/core/settings';
import { silentLogger } from '../../../electron/core/log';
import { SseHub } from '../../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../../electron/server/web-server';
import { tempDir } from '../../fixtures/temp-dir';

let dir: string;
let cleanup: () => void;
let runtime: Runtime;
let hub: SseHub;
let server: RunningWebServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so the test controls Host, Origin and Sec-Fetch-Site exactly as an attacker would. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const rpc = (headers: Record<string, string> = {}, body = '{}', secret = server.secret) =>
  send(`/${secret}/rpc/app:info`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Outpost</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  hub = new SseHub();
  runtime = await startRuntime({ dataDir: dir, events: hub, settings: new MemorySettings(), mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0 });
  server = await startWebServer({ handlers: runtime.handlers, hub, rendererDir });
});

afterAll(async () => {
  await server.close();
  await runtime.close();
  cleanup();
});

describe('browser-mode server', () => {
  it('listens on loopback only and puts the secret in the URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/${server.secret}/`);
    expect(server.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a call from its own page with the envelope', async () => {
    const reply = await rpc({ Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, data: { name: 'Outpost', transport: 'http' } });
  });

  it('refuses requests without the secret, or with a wrong or truncated one', async () => {
    for (const secret of ['', 'wrong', server.secret.slice(0, -1), `${server.secret}x`]) {
      const reply = await rpc({}, '{}', secret);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('Outpost"');
    }
    expect((await send('/')).status).toBe(404);
  });

  it('refuses a foreign Origin (another site open in the same browser)', async () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null', `http://127.0.0.1.evil.example:${server.port}`]) {
      const reply = await rpc({ Origin: origin });
      expect(reply.status, origin).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('refuses cross-site fetches flagged by Sec-Fetch-Site', async () => {
    expect((await rpc({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await rpc({ 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
  });

  it('refuses a Host that is not loopback (DNS rebinding), even with the right secret', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1.nip.io:${server.port}`]) {
      const reply = await rpc({ Host: host });
      expect(reply.status, host).toBe(421);
    }
    expect((await rpc({ Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('only takes JSON bodies, so a plain HTML form cannot post to it', async () => {
    expect((await rpc({ 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await rpc({ 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1')).status).toBe(415);
    const bad = await rpc({}, '{not json');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses bodies over 1 MiB', async () => {
    const reply = await rpc({}, JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(reply.status).toBe(413);
  });

  it('serves the renderer with the CSP and no-referrer headers, and nothing outside it', async () => {
    const index = await send(`/${server.secret}/`);
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect((await send(`/${server.secret}/assets/app.js`)).headers['content-type']).toMatch(/javascript/);
    for (const probe of ['../secret.txt', '%2e%2e/secret.txt', '%252e%252e/secret.txt', 'assets/..%2f..%2fsecret.txt', '..%5csecret.txt']) {
      const reply = await send(`/${server.secret}/${probe}`);
      expect(reply.status, probe).toBe(404);
      expect(reply.body).not.toContain('outside the renderer');
    }
  });

  it('streams events to connected pages over SSE', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: `/${server.secret}/events`, headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('event: instance:changed')) {
            resolve(text);
            req.destroy();
          }
        });
        // Its headers are here, so the hub holds this stream (SseHub.attach registers it as it writes them).
        hub.emit('instance:changed', { instance: { id: 'ins_1' } as never });
      });
      req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    const text = await received;
    expect(text).toContain('data: {"instance":{"id":"ins_1"}}');
  });
});
