import { isoSeconds } from './clock';
import type { ActionFaultSpec, EnrollmentFaultSpec, HttpFaultSpec, ShortageSpec } from './faults';
import { type Reply, type Request, type Route, findRoute, json } from './http';
import type { TokenBucket } from './hetzner/ratelimit';
import { PROGRESS_SHAPES, PROGRESS_SHAPE_HELP, isProgressShape } from './hetzner/progress';
import { renderAction } from './hetzner/render';
import type { RequestLog } from './requestlog';
import { renderDevice } from './tailscale/devices';
import { keyInvalidReason, renderKey } from './tailscale/keys';
import type { World } from './world';

export const CONTROL_PREFIX = '/_sim';

export interface ControlDeps {
  world: World;
  bucket: TokenBucket;
  log: RequestLog;
  reset: () => void;
  info: () => Record<string, unknown>;
}

interface Ctx {
  deps: ControlDeps;
  req: Request;
}

class BadRequest extends Error {}

function body<T>(ctx: Ctx): T {
  try {
    const value = JSON.parse(ctx.req.body === '' ? '{}' : ctx.req.body) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as T;
  } catch {
    // fall through
  }
  throw new BadRequest('body must be a JSON object');
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new BadRequest(error.message);
    throw error;
  }
}

export function inspectState(world: World, bucket: TokenBucket) {
  world.advance();
  const now = world.now();
  const { state } = world;
  return {
    now: isoSeconds(now),
    nowMs: now,
    timeScale: world.clock.timeScale,
    seed: state.seed,
    tailnet: state.tailnet,
    rateLimit: bucket.snapshot(),
    servers: state.servers.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      serverType: s.serverType,
      location: s.location,
      imageId: s.imageId,
      labels: s.labels,
      ipv4: s.ipv4?.ip ?? null,
      ipv6: s.ipv6?.network ?? null,
      created: isoSeconds(s.created),
      locked: s.lockedBy !== null,
      userDataBytes: s.userData === null ? 0 : Buffer.byteLength(s.userData),
      boot: s.boot,
    })),
    actions: state.actions.map((a) => ({ ...renderAction(a, now), finishAtMs: a.finishAt })),
    sshKeys: state.sshKeys.map((k) => ({ id: k.id, name: k.name, fingerprint: k.fingerprint })),
    // Never the secret: the key record only holds a hash of it anyway.
    keys: state.keys.map((k) => ({ ...renderKey(k, now), invalidReason: keyInvalidReason(k, now), uses: k.uses, rejections: k.rejections })),
    devices: state.devices.map((d) => ({ ...renderDevice(d, 'all'), serverId: d.serverId, keyId: d.keyId, reapAt: d.reapAt === null ? null : isoSeconds(d.reapAt) })),
    pendingEvents: state.events.length,
  };
}

const ROUTES: Route<Ctx>[] = [
  { method: 'GET', pattern: '/info', handle: (c) => json(200, c.deps.info()) },
  { method: 'GET', pattern: '/state', handle: (c) => json(200, inspectState(c.deps.world, c.deps.bucket)) },
  {
    method: 'GET',
    pattern: '/requests',
    handle: (c) => {
      const since = Number(c.req.query.get('since') ?? 0);
      if (!Number.isInteger(since) || since < 0) throw new BadRequest('since must be a non-negative integer');
      return json(200, { requests: c.deps.log.since(since), lastSeq: c.deps.log.lastSeq });
    },
  },
  { method: 'GET', pattern: '/faults', handle: (c) => json(200, c.deps.world.faults.snapshot()) },
  { method: 'POST', pattern: '/faults', handle: (c) => json(201, guard(() => c.deps.world.faults.addHttp(body<HttpFaultSpec>(c)))) },
  {
    method: 'DELETE',
    pattern: '/faults',
    handle: (c) => {
      c.deps.world.faults.clear();
      return json(200, c.deps.world.faults.snapshot());
    },
  },
  { method: 'POST', pattern: '/faults/actions', handle: (c) => json(201, guard(() => c.deps.world.faults.addAction(body<ActionFaultSpec>(c)))) },
  { method: 'POST', pattern: '/faults/enrollment', handle: (c) => json(201, guard(() => c.deps.world.faults.addEnrollment(body<EnrollmentFaultSpec>(c)))) },
  {
    method: 'POST',
    pattern: '/faults/unavailable',
    handle: (c) => {
      guard(() => c.deps.world.faults.addShortage(body<ShortageSpec>(c)));
      return json(201, c.deps.world.faults.snapshot());
    },
  },
  {
    method: 'DELETE',
    pattern: '/faults/unavailable',
    handle: (c) => {
      const serverType = c.req.query.get('serverType') ?? '';
      const location = c.req.query.get('location') ?? '';
      c.deps.world.faults.removeShortage({ serverType, location });
      return json(200, c.deps.world.faults.snapshot());
    },
  },
  // After the literal /faults/… routes: `:id` would swallow them.
  {
    method: 'DELETE',
    pattern: '/faults/:id',
    handle: (c, p) => {
      const f = c.deps.world.faults;
      const id = Number(p.id);
      f.http = f.http.filter((r) => r.id !== id);
      f.actions = f.actions.filter((r) => r.id !== id);
      f.enrollment = f.enrollment.filter((r) => r.id !== id);
      return json(200, f.snapshot());
    },
  },
  // How actions created from now on move their `progress` (running ones keep their curve).
  { method: 'GET', pattern: '/progress', handle: (c) => json(200, { shape: c.deps.world.profile.progress, shapes: PROGRESS_SHAPE_HELP }) },
  {
    method: 'POST',
    pattern: '/progress',
    handle: (c) => {
      const { shape } = body<{ shape?: unknown }>(c);
      if (!isProgressShape(shape)) throw new BadRequest(`shape must be one of ${PROGRESS_SHAPES.join(', ')}`);
      c.deps.world.profile.progress = shape;
      return json(200, { shape, shapes: PROGRESS_SHAPE_HELP });
    },
  },
  { method: 'GET', pattern: '/ratelimit', handle: (c) => json(200, c.deps.bucket.snapshot()) },
  {
    method: 'POST',
    pattern: '/ratelimit',
    handle: (c) => {
      const b = body<{ capacity?: number; refillPerSecond?: number; remaining?: number }>(c);
      for (const [k, v] of Object.entries(b)) if (typeof v !== 'number' || !(v >= 0)) throw new BadRequest(`${k} must be a non-negative number`);
      if (b.capacity !== undefined && b.capacity < 1) throw new BadRequest('capacity must be at least 1');
      c.deps.bucket.configure(b);
      return json(200, c.deps.bucket.snapshot());
    },
  },
  {
    method: 'POST',
    pattern: '/reset',
    handle: (c) => {
      c.deps.reset();
      return json(200, { reset: true });
    },
  },
];

export function handleControl(req: Request, deps: ControlDeps): Reply {
  const path = req.path.slice(CONTROL_PREFIX.length) || '/';
  const { route, params, pathMatched } = findRoute(ROUTES, req.method, path);
  if (!route) return json(pathMatched ? 405 : 404, { error: pathMatched ? 'method not allowed' : `no control endpoint ${req.method} ${req.path}` });
  try {
    return route.handle({ deps, req }, params) as Reply;
  } catch (error) {
    if (error instanceof BadRequest) return json(400, { error: error.message });
    throw error;
  }
}
