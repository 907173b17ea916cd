// Browser mode against clients that misbehave: a malformed rpc path is the caller's mistake (a
// typed 400), internal errors are logged (redacted) instead of vanishing, a client that sends its
// headers or its request too slowly is cut off, and an oversized body is refused while it arrives.
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { runWeb } from '../../../electron/cli/commands/web';
import type { Handlers } from '../../../electron/core/dispatch';
import { createLogger, registerSecret, silentLogger } from '../../../electron/core/log';
import { unregisterSecret } from '../../../electron/core/redact';
import { MemorySettings } from '../../../electron/core/settings';
import { MAX_BODY_BYTES } from '../../../electron/server/body';
import { SseHub } from '../../../electron/server/sse';
import { DEFAULT_TIMEOUTS, serverTimeouts } from '../../../electron/server/timeouts';
import { startWebServer, type RunningWebServer } from '../../../electron/server/web-server';
import { OutpostError } from '../../../shared/errors';
import { tempDir } from '../../fixtures/temp-dir';

const TIMEOUTS = { headersMs: 300, requestMs: 600 };
// Registered like a vault registers a stored token: it must never appear in a log line.
const PLANTED_SECRET = 'hz-planted-secret-0123456789abcdefghijklmnop';

let tmp: { dir: string; cleanup: () => void };
let rendererDir: string;
let runtime: Runtime;
let hub: SseHub;
let server: RunningWebServer;
const logged: Record<string, unknown>[] = [];
const capture = createLogger({ level: 'debug', sink: (line) => logged.push(JSON.parse(line) as Record<string, unknown>) });

interface Answer {
  status: number;
  body: string;
}

function send(target: RunningWebServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: target.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${target.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const rpc = (target: RunningWebServer, channel: string, body = '{}') =>
  send(target, `/${target.secret}/rpc/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

/** A raw socket that sends `data` and then nothing more; resolves when the server closes it. */
function stall(data: string): Promise<{ elapsedMs: number; reply: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let reply = '';
    const socket = connect(server.port, '127.0.0.1', () => socket.write(data));
    socket.on('data', (c: Buffer) => (reply += c.toString()));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => resolve({ elapsedMs: Date.now() - started, reply }));
  });
}

beforeAll(async () => {
  tmp = tempDir('outpost-web-hardening-');
  rendererDir = join(tmp.dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Outpost</title>');
  registerSecret(PLANTED_SECRET);
  hub = new SseHub();
  runtime = await startRuntime({ dataDir: join(tmp.dir, 'data'), events: hub, settings: new MemorySettings(), mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0 });
  const handlers: Handlers = {
    ...runtime.handlers,
    'jobs:list': async () => {
      throw new Error(`the store broke while holding ${PLANTED_SECRET}`);
    },
  };
  server = await startWebServer({ handlers, hub, rendererDir, log: capture, timeouts: TIMEOUTS });
});

afterAll(async () => {
  await server.close();
  await runtime.close();
  unregisterSecret(PLANTED_SECRET);
  tmp.cleanup();
});

describe('browser mode refuses malformed requests with a typed answer', () => {
  it('a malformed percent-encoding in the rpc path is a 400 invalid_input, not an internal error', async () => {
    const before = logged.length;
    for (const channel of ['%E0%A4%A', '%', 'app%3Ainfo%ZZ']) {
      const answer = await rpc(server, channel);
      expect(answer.status, channel).toBe(400);
      const body = JSON.parse(answer.body) as { ok: boolean; error: { code: string; message: string; hint: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'invalid_input', hint: expect.stringContaining('rpc/app:info') } });
      expect(body.error.message).toMatch(/channel in the rpc path/);
      expect(answer.body).not.toContain(server.secret);
    }
    expect(logged.slice(before)).toEqual([]); // a caller's mistake is not an internal error
    expect((await rpc(server, 'app%3Ainfo')).status).toBe(200); // well-formed encoding still works
  });

  it('refuses timeouts that make no sense, naming the field', async () => {
    const base = { handlers: runtime.handlers, hub: new SseHub(), rendererDir, log: silentLogger };
    await expect(startWebServer({ ...base, timeouts: { headersMs: 0 } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('timeouts.headersMs') });
    await expect(startWebServer({ ...base, timeouts: { headersMs: 2_000, requestMs: 1_000 } })).rejects.toBeInstanceOf(OutpostError);
  });
});

describe('browser mode logs every internal error through the redacting logger', () => {
  it('logs a failing handler, without the secrets it held or the URL secret', async () => {
    const before = logged.length;
    const answer = await rpc(server, 'jobs:list');
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
    const lines = logged.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error in a handler' });
    expect(JSON.stringify(lines[0])).toContain('the store broke while holding');
    expect(JSON.stringify(lines)).not.toContain(PLANTED_SECRET);
    expect(JSON.stringify(lines)).not.toContain(server.secret);
    expect(answer.body).not.toContain('the store broke');
  });

  it('logs a failure of the server itself (here: the event stream) and answers 500 internal', async () => {
    const broken = {
      attach: () => {
        throw new Error(`event stream unavailable for ${PLANTED_SECRET}`);
      },
      close: () => undefined,
    } as unknown as SseHub;
    const own = await startWebServer({ handlers: runtime.handlers, hub: broken, rendererDir, log: capture });
    try {
      const before = logged.length;
      const answer = await send(own, `/${own.secret}/events`);
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
      const lines = logged.slice(before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', msg: 'browser-mode request failed', method: 'GET' });
      expect(JSON.stringify(lines[0])).toContain('event stream unavailable');
      expect(JSON.stringify(lines)).not.toContain(PLANTED_SECRET);
      expect(JSON.stringify(lines)).not.toContain(own.secret);
    } finally {
      await own.close();
    }
  });

  it('`outpost web` hands the server the runtime logger', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: 'error', sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const web = await runWeb({ dataDir: join(tmp.dir, 'web-data'), port: 0, mode: 'sandbox', rendererDir, runtime: { log, settings: new MemorySettings(), fleetSyncIntervalMs: 0 } });
    try {
      // A closed store makes every read fail with a driver error: an internal error of the server's handlers.
      await web.runtime.close();
      const answer = await rpc(web.server, 'instances:list');
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(lines.filter((l) => l.msg === 'unexpected error in a handler')).toHaveLength(1);
    } finally {
      await web.server.close();
    }
  });
});

describe('browser mode cuts off slow clients', () => {
  it('allows at most 10 s for the headers by default, enforced at least every second', () => {
    expect(DEFAULT_TIMEOUTS.headersMs).toBe(10_000);
    const options = serverTimeouts(DEFAULT_TIMEOUTS);
    expect(options.headersTimeout).toBe(10_000);
    expect(options.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
    expect(options.requestTimeout).toBeLessThanOrEqual(30_000);
  });

  it('closes a connection whose headers never finish (slow loris) once the header timeout passes', async () => {
    const { elapsedMs, reply } = await stall(`GET /${server.secret}/ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.headersMs - 50);
    expect(elapsedMs).toBeLessThan(TIMEOUTS.requestMs + 1_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    console.info(`slow-loris headers closed after ${elapsedMs} ms (timeout ${TIMEOUTS.headersMs} ms)`);
  });

  it('closes a request whose body never finishes once the request timeout passes, and leaves event streams open', async () => {
    const events = await openEvents();
    const path = `/${server.secret}/rpc/app:info`;
    const { elapsedMs, reply } = await stall(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50);
    expect(elapsedMs).toBeLessThan(TIMEOUTS.requestMs + 1_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    console.info(`slow body closed after ${elapsedMs} ms (timeout ${TIMEOUTS.requestMs} ms)`);
    // The stream has now been open longer than the request timeout, and still delivers.
    hub.emit('instance:changed', { instance: { id: 'ins_after_timeout' } as never });
    expect(await events.next('ins_after_timeout')).toContain('ins_after_timeout');
    events.close();
  });
});

describe('browser mode refuses an oversized body as soon as the limit is passed', () => {
  it('answers 413 while the body is still streaming', async () => {
    const answer = await new Promise<{ status: number; sentBytes: number; body: string }>((resolve, reject) => {
      let sent = 0;
      const req = request({ host: '127.0.0.1', port: server.port, path: `/${server.secret}/rpc/app:info`, method: 'POST', headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, sentBytes: sent, body });
          req.destroy();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
      // Chunked, no Content-Length: the size is only known as it arrives. Never ended.
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      req.write('{"pad":"');
      for (let i = 0; i < MAX_BODY_BYTES / chunk.length + 2; i++) {
        req.write(chunk);
        sent += chunk.length;
      }
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(answer.sentBytes).toBeGreaterThan(MAX_BODY_BYTES);
  });

  it('answers 413 before any body byte when the declared length is over the limit', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('connect', () => socket.write(`POST /${server.secret}/rpc/app:info HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${2 * MAX_BODY_BYTES}\r\n\r\n`));
      socket.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('\r\n\r\n')) resolve(text);
      });
      socket.on('error', reject);
    });
    socket.destroy();
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(reply.toLowerCase()).toContain('connection: close');
  });
});

/** An SSE connection; `next(text)` resolves once the stream has carried `text`. */
async function openEvents(): Promise<{ next: (text: string) => Promise<string>; close: () => void }> {
  let received = '';
  const waiters: { text: string; resolve: (all: string) => void }[] = [];
  const req = request({ host: '127.0.0.1', port: server.port, path: `/${server.secret}/events`, headers: { Host: `127.0.0.1:${server.port}` } });
  await new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      res.on('data', (c: Buffer) => {
        received += c.toString();
        for (const w of waiters.filter((x) => received.includes(x.text))) w.resolve(received);
        if (received.includes('retry:')) resolve();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
  return {
    next: (text) => (received.includes(text) ? Promise.resolve(received) : new Promise((resolve) => waiters.push({ text, resolve }))),
    close: () => req.destroy(),
  };
}
