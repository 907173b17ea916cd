import { type Reply, json } from '../http';
import type { ServerRecord, ServerStatus } from '../model';
import { IMAGES, canPlace, findDatacenter, findLocation, findServerType, LOCATIONS } from './catalog';
import { type HetznerContext, parseJsonBody } from './context';
import { HetznerError, invalidInput, notFound } from './errors';
import { allocateIpv4, allocateIpv6 } from './ipam';
import { SelectorError, labelsProblems, matchesSelector, parseSelector } from './labels';
import { createServerActions, deleteServerAction } from './lifecycle';
import { applySort, paginate, parseIdParam } from './paging';
import { renderAction, renderServer } from './render';

export const USER_DATA_LIMIT = 32768;
const STATUSES: readonly string[] = ['running', 'initializing', 'starting', 'stopping', 'off', 'deleting', 'migrating', 'rebuilding', 'unknown'];
const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isRfc1123Hostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => HOSTNAME_LABEL.test(label));
}

const missing = (field: string) => invalidInput(field, ['Missing data for required field.']);

export function parseSelectorParam(raw: string): ReturnType<typeof parseSelector> {
  try {
    return parseSelector(raw);
  } catch (error) {
    if (error instanceof SelectorError) throw new HetznerError(422, 'invalid_input', error.message, { fields: [{ name: 'label_selector', messages: [error.message] }] });
    throw error;
  }
}

function resolveImage(ref: unknown, architecture: string) {
  if (typeof ref === 'number' || (typeof ref === 'string' && /^\d+$/.test(ref))) {
    const image = IMAGES.find((i) => i.id === Number(ref));
    if (!image) throw invalidInput('image', [`image ${String(ref)} not found`], `image ${String(ref)} not found`);
    if (image.architecture !== architecture) {
      throw invalidInput('image', [`image architecture ${image.architecture} does not match server type architecture ${architecture}`], 'image architecture does not match server type');
    }
    return image;
  }
  if (typeof ref !== 'string') throw invalidInput('image', ['Not a valid string or integer.']);
  // Names exist once per architecture: the server type's architecture picks the right one.
  const image = IMAGES.find((i) => i.name === ref && i.architecture === architecture);
  if (!image) throw invalidInput('image', [`image '${ref}' not found`], `image '${ref}' not found`);
  return image;
}

function resolveLocation(ctx: HetznerContext, body: Record<string, unknown>, type: NonNullable<ReturnType<typeof findServerType>>): string {
  if (body.location !== undefined && body.datacenter !== undefined) {
    throw invalidInput('location', ['location and datacenter are mutually exclusive']);
  }
  if (body.location !== undefined) {
    const location = typeof body.location === 'string' || typeof body.location === 'number' ? findLocation(body.location) : undefined;
    if (!location) throw invalidInput('location', [`location '${String(body.location)}' not found`], `location '${String(body.location)}' not found`);
    return location.name;
  }
  if (body.datacenter !== undefined) {
    const dc = typeof body.datacenter === 'string' || typeof body.datacenter === 'number' ? findDatacenter(body.datacenter) : undefined;
    if (!dc) throw invalidInput('datacenter', [`datacenter '${String(body.datacenter)}' not found`], `datacenter '${String(body.datacenter)}' not found`);
    return dc.location;
  }
  // Neither given: the API picks a location where the type can be placed.
  const candidates = LOCATIONS.filter((l) => canPlace(type, l.name, ctx.world.faults.shortages));
  return (candidates[0] ?? LOCATIONS[0])!.name;
}

export function createServer(ctx: HetznerContext): Reply {
  const { world } = ctx;
  const body = parseJsonBody(ctx);
  if (body.name === undefined) throw missing('name');
  if (body.server_type === undefined) throw missing('server_type');
  if (body.image === undefined) throw missing('image');
  if (typeof body.name !== 'string' || !isRfc1123Hostname(body.name)) {
    throw invalidInput('name', ['Name must be a valid hostname.'], "invalid input in field 'name'");
  }
  const type = typeof body.server_type === 'string' || typeof body.server_type === 'number' ? findServerType(body.server_type) : undefined;
  if (!type) throw invalidInput('server_type', [`server type '${String(body.server_type)}' not found`], `server type '${String(body.server_type)}' not found`);
  const image = resolveImage(body.image, type.architecture);
  const location = resolveLocation(ctx, body, type);

  const userData = body.user_data ?? null;
  if (userData !== null && typeof userData !== 'string') throw invalidInput('user_data', ['Not a valid string.']);
  if (userData !== null && Buffer.byteLength(userData, 'utf8') > USER_DATA_LIMIT) {
    throw invalidInput('user_data', [`Length must be between 0 and ${USER_DATA_LIMIT}.`]);
  }
  const labelProblems = labelsProblems(body.labels);
  if (labelProblems.length > 0) throw invalidInput('labels', labelProblems);
  const labels = (body.labels ?? {}) as Record<string, string>;

  const sshKeys: number[] = [];
  if (body.ssh_keys !== undefined) {
    if (!Array.isArray(body.ssh_keys)) throw invalidInput('ssh_keys', ['Not a valid list.']);
    for (const ref of body.ssh_keys as unknown[]) {
      const key = world.state.sshKeys.find((k) => k.id === Number(ref) || k.name === ref);
      if (!key) throw invalidInput('ssh_keys', [`ssh key '${String(ref)}' not found`], `ssh key '${String(ref)}' not found`);
      sshKeys.push(key.id);
    }
  }
  if (body.start_after_create !== undefined && typeof body.start_after_create !== 'boolean') throw invalidInput('start_after_create', ['Not a valid boolean.']);
  const publicNet = (body.public_net ?? {}) as { enable_ipv4?: unknown; enable_ipv6?: unknown };

  // The name stays taken while the server is being deleted (cli#1051).
  if (world.state.servers.some((s) => s.name === body.name)) {
    throw new HetznerError(409, 'uniqueness_error', 'server name is already used', { fields: [{ name: 'name' }] });
  }
  if (!canPlace(type, location, world.faults.shortages)) {
    throw new HetznerError(412, 'resource_unavailable', 'error during placement');
  }
  const ipv4 = publicNet.enable_ipv4 === false ? null : allocateIpv4(world);
  if (publicNet.enable_ipv4 !== false && ipv4 === null) throw new HetznerError(412, 'resource_unavailable', 'no free IPv4 address in this location');

  const server: ServerRecord = {
    id: world.nextServerId(),
    name: body.name,
    status: 'initializing',
    created: world.now(),
    serverType: type.name,
    location,
    imageId: image.id,
    labels: { ...labels },
    userData,
    sshKeys,
    ipv4,
    ipv6: publicNet.enable_ipv6 === false ? null : allocateIpv6(world),
    lockedBy: null,
    boot: { state: 'pending', reason: null, hostname: null, keyId: null, deviceId: null, enrollAt: null },
  };
  world.state.servers.push(server);
  const { action, nextActions } = createServerActions(world, server, body.start_after_create !== false);
  world.changed();
  const now = world.now();
  return json(201, {
    server: renderServer(server, world.faults.shortages),
    action: renderAction(action, now),
    next_actions: nextActions.map((a) => renderAction(a, now)),
    root_password: sshKeys.length > 0 ? null : world.rng.alnum(20),
  });
}

export function listServers(ctx: HetznerContext): Reply {
  const { query } = ctx.req;
  let servers = ctx.world.state.servers;
  const name = query.get('name');
  if (name !== null) servers = servers.filter((s) => s.name === name);
  const selector = query.get('label_selector');
  if (selector !== null) {
    const terms = parseSelectorParam(selector);
    servers = servers.filter((s) => matchesSelector(s.labels, terms));
  }
  const statuses = query.getAll('status');
  for (const status of statuses) if (!STATUSES.includes(status)) throw invalidInput('status', [`invalid status '${status}'`]);
  if (statuses.length > 0) servers = servers.filter((s) => statuses.includes(s.status as ServerStatus));
  const sorted = applySort(servers, query, { id: (s) => s.id, name: (s) => s.name, created: (s) => s.created });
  const page = paginate(sorted, query, ctx.req.origin, ctx.req.path);
  return json(200, { servers: page.items.map((s) => renderServer(s, ctx.world.faults.shortages)), meta: page.meta }, page.link ? { Link: page.link } : undefined);
}

function findServer(ctx: HetznerContext, rawId: string | undefined): ServerRecord {
  const id = parseIdParam(rawId, 'server');
  const server = ctx.world.state.servers.find((s) => s.id === id);
  if (!server) throw notFound('server', id);
  return server;
}

export function getServer(ctx: HetznerContext, params: Record<string, string>): Reply {
  return json(200, { server: renderServer(findServer(ctx, params.id), ctx.world.faults.shortages) });
}

export function deleteServer(ctx: HetznerContext, params: Record<string, string>): Reply {
  const server = findServer(ctx, params.id);
  if (server.lockedBy !== null) throw new HetznerError(423, 'locked', 'cannot perform operation because server is locked');
  const action = deleteServerAction(ctx.world, server);
  ctx.world.changed();
  return json(200, { action: renderAction(action, ctx.world.now()) });
}

export function listServerActions(ctx: HetznerContext, params: Record<string, string>): Reply {
  const server = findServer(ctx, params.id);
  return listActionsOf(ctx, ctx.world.state.actions.filter((a) => a.resources.some((r) => r.type === 'server' && r.id === server.id)));
}

export function listActionsOf(ctx: HetznerContext, actions: typeof ctx.world.state.actions): Reply {
  const { query } = ctx.req;
  const statuses = query.getAll('status');
  const filtered = statuses.length > 0 ? actions.filter((a) => statuses.includes(a.status)) : actions;
  const sorted = applySort(filtered, query, {
    id: (a) => a.id,
    command: (a) => a.command,
    status: (a) => a.status,
    started: (a) => a.started,
    finished: (a) => a.finished,
  });
  const page = paginate(sorted, query, ctx.req.origin, ctx.req.path);
  const now = ctx.world.now();
  return json(200, { actions: page.items.map((a) => renderAction(a, now)), meta: page.meta }, page.link ? { Link: page.link } : undefined);
}
