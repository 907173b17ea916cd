import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { CONTROL_PREFIX, type ControlDeps, handleControl } from './control-routes';
import type { HttpFaultRule } from './faults';
import { CONTROL_SECRET_HEADER, controlSecretMatches, foreignCaller } from './guard';
import { HETZNER_PREFIX, handleHetzner, hetznerFaultReply } from './hetzner/router';
import { onActionEnd } from './hetzner/lifecycle';
import { type Reply, type Request, BodyTooLarge, json, readBody, writeReply } from './http';
import { TAILSCALE_PREFIX, handleTailscale, tailscaleFaultReply } from './tailscale/router';
import { enroll, reap } from './tailscale/enroll';
import type { EventHandler } from './world';

export const dispatchEvent: EventHandler = (world, event) => {
  if (event.kind === 'action_end') onActionEnd(world, event.actionId);
  else if (event.kind === 'enroll') enroll(world, event.serverId);
  else reap(world, event.deviceId);
};

export interface ServerDeps extends ControlDeps {
  credentials: () => { readWrite: string; readOnly: string };
  recordBodies: boolean;
  /** The port it listens on (known once listening), which the Host and Origin checks expect. */
  port: () => number;
  /** Set when the simulator runs inside the app: `/_sim/` then answers only to this secret. */
  controlSecret: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));
}

export function createSimServer(deps: ServerDeps): Server {
  const { world, bucket, log } = deps;

  async function route(api: 'hetzner' | 'tailscale' | 'other', req: Request, allowed: boolean): Promise<Reply> {
    if (api === 'hetzner') {
      if (!allowed) return { status: 429, body: { error: { code: 'rate_limit_exceeded', message: `limit of ${bucket.snapshot().capacity} requests per hour reached`, details: null } }, code: 'rate_limit_exceeded' };
      return handleHetzner(req, { world, bucket, tokens: deps.credentials });
    }
    if (api === 'tailscale') return handleTailscale(req, world);
    return json(404, { message: 'not found' });
  }

  function faultReply(api: string, rule: HttpFaultRule & { status: number }): Reply {
    return api === 'tailscale' ? tailscaleFaultReply(rule) : hetznerFaultReply(rule);
  }

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    // Before the body is read: a page in a browser gets nothing, not even a buffered upload.
    const foreign = foreignCaller(raw.headers, deps.port());
    if (foreign) return void writeReply(res, json(403, { error: { code: 'forbidden', message: foreign } }));
    const url = new URL(raw.url ?? '/', 'http://localhost');
    const method = (raw.method ?? 'GET').toUpperCase();
    // Inside the app the control API could read the sandbox credentials and rewrite the world, so
    // only the app itself (which holds this run's secret) may use it; `outpost sim` stays open.
    if (under(url.pathname, CONTROL_PREFIX) && deps.controlSecret !== null && !controlSecretMatches(raw.headers[CONTROL_SECRET_HEADER], deps.controlSecret)) {
      return void writeReply(res, json(401, { error: { code: 'unauthorized', message: `this simulator's control API needs the run's secret in the ${CONTROL_SECRET_HEADER} header` } }));
    }
    let bodyText: string;
    try {
      bodyText = await readBody(raw);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      writeReply(res, json(413, { message: error.message }));
      return;
    }
    const req: Request = { method, path: url.pathname, url: raw.url ?? '/', query: url.searchParams, headers: raw.headers, body: bodyText, origin: `http://${raw.headers.host ?? 'localhost'}` };

    if (under(url.pathname, CONTROL_PREFIX)) {
      if (!isLoopback(raw.socket.remoteAddress)) return void writeReply(res, json(403, { error: 'control endpoints answer loopback clients only' }));
      writeReply(res, handleControl(req, deps));
      return;
    }

    const api = under(url.pathname, HETZNER_PREFIX) ? 'hetzner' : under(url.pathname, TAILSCALE_PREFIX) ? 'tailscale' : 'other';
    // Every Hetzner request counts against the budget, authenticated or not, faulted or not.
    const allowed = api === 'hetzner' ? bucket.take() : true;
    const fault = api === 'other' ? null : world.faults.matchHttp(method, url.pathname, world.requestRng);
    const entry = (status: number, code: string | null, outcome: 'answered' | 'reset' | 'hang', body?: string) =>
      log.add({
        ts: started,
        api,
        method,
        path: req.url,
        status,
        code,
        latencyMs: Date.now() - started,
        fault: fault?.id ?? null,
        outcome,
        ...(deps.recordBodies && body !== undefined ? { body } : {}),
      });

    const after = fault?.phase === 'after';
    if (fault?.latencyMs && !after) await sleep(fault.latencyMs);
    let reply: Reply | null = null;
    if (fault && after) {
      reply = await route(api, req, allowed);
      if (fault.latencyMs) await sleep(fault.latencyMs);
    }
    if (fault?.hang) {
      entry(0, null, 'hang');
      return;
    }
    if (fault?.reset) {
      entry(0, null, 'reset');
      raw.socket.destroy();
      return;
    }
    if (!reply) {
      reply = fault?.status !== undefined && !after ? faultReply(api, fault as HttpFaultRule & { status: number }) : await route(api, req, allowed);
    }
    if (fault?.malformed) {
      const text = reply.raw ?? JSON.stringify(reply.body ?? {});
      reply = { ...reply, raw: text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers: { ...reply.headers, 'Content-Type': 'application/json' } };
    }
    if (api === 'hetzner') {
      reply = { ...reply, headers: { ...reply.headers, ...bucket.headers(), 'X-Correlation-Id': world.requestRng.hex(16) } };
    }
    const text = writeReply(res, reply);
    entry(reply.status, reply.code ?? null, 'answered', text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) writeReply(res, json(500, { message: 'internal simulator error' }));
      else res.destroy();
    });
  });
  return server;
}
