import { isoSeconds } from '../clock';
import { type Reply, json } from '../http';
import type { DeviceRecord } from '../model';
import type { World } from '../world';
import { type TailscaleContext, TailscaleError, parseJson, requireScope, requireTailnet } from './context';
import { machineName, uniqueName } from './names';

const CLIENT_VERSION = '1.90.6';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** `fields=default` (also the default): exactly these, per the spec. */
export const DEFAULT_FIELDS = [
  'addresses', 'id', 'nodeId', 'user', 'name', 'hostname', 'clientVersion', 'updateAvailable', 'os', 'created',
  'connectedToControl', 'lastSeen', 'keyExpiryDisabled', 'expires', 'authorized', 'isExternal', 'machineKey', 'nodeKey',
  'blocksIncomingConnections', 'tailnetLockKey', 'tailnetLockError', 'tags', 'isEphemeral',
] as const;
export const ALL_EXTRA_FIELDS = ['enabledRoutes', 'advertisedRoutes', 'clientConnectivity', 'sshEnabled', 'postureIdentity', 'distro'] as const;

export function renderDevice(d: DeviceRecord, fields: 'default' | 'all'): Record<string, unknown> {
  const base: Record<string, unknown> = {
    addresses: d.addresses,
    id: d.id,
    nodeId: d.nodeId,
    user: d.user,
    name: d.name,
    hostname: d.hostname,
    clientVersion: CLIENT_VERSION,
    updateAvailable: false,
    os: 'linux',
    created: isoSeconds(d.created),
    connectedToControl: d.connectedToControl,
    // Omitted while connected (and never set before the device was first online).
    ...(d.connectedToControl || d.lastSeen === null ? {} : { lastSeen: isoSeconds(d.lastSeen) }),
    keyExpiryDisabled: d.keyExpiryDisabled,
    expires: d.expires === null ? ZERO_TIME : isoSeconds(d.expires),
    authorized: d.authorized,
    isExternal: false,
    machineKey: d.machineKey,
    nodeKey: d.nodeKey,
    blocksIncomingConnections: false,
    tailnetLockKey: d.tailnetLockKey,
    tailnetLockError: '',
    tags: d.tags,
    isEphemeral: d.isEphemeral,
  };
  if (fields === 'default') return base;
  return {
    ...base,
    enabledRoutes: [],
    advertisedRoutes: [],
    clientConnectivity: {
      endpoints: d.connectedToControl ? [d.endpoint] : [],
      mappingVariesByDestIP: false,
      latency: { Nuremberg: { preferred: true, latencyMs: 4.2 }, Frankfurt: { latencyMs: 7.9 } },
      clientSupports: { hairPinning: null, ipv6: true, pcp: false, pmp: false, udp: true, upnp: false },
    },
    sshEnabled: d.sshEnabled,
    postureIdentity: { disabled: true },
    distro: d.distro,
  };
}

function fieldsParam(ctx: TailscaleContext): 'default' | 'all' {
  const fields = ctx.req.query.get('fields') ?? 'default';
  if (fields !== 'default' && fields !== 'all') throw new TailscaleError(400, `invalid fields value ${JSON.stringify(fields)}: use "all" or "default"`);
  return fields;
}

/**
 * `<field>=<value>` filters: exact match on top-level scalar or list fields, ANDed; for a list field
 * the device must contain every value given. Complex fields cannot be filtered.
 */
export function filterDevices(devices: readonly DeviceRecord[], query: URLSearchParams): DeviceRecord[] {
  const filters = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key === 'fields') continue;
    filters.set(key, [...(filters.get(key) ?? []), value]);
  }
  const known = new Set<string>([...DEFAULT_FIELDS, ...ALL_EXTRA_FIELDS]);
  for (const key of filters.keys()) {
    if (!known.has(key)) throw new TailscaleError(400, `unknown filter field ${JSON.stringify(key)}`);
    if (key === 'clientConnectivity' || key === 'postureIdentity' || key === 'distro') throw new TailscaleError(400, `cannot filter on complex field ${JSON.stringify(key)}`);
  }
  return devices.filter((device) => {
    const full = renderDevice(device, 'all');
    for (const [key, values] of filters) {
      const actual = full[key];
      if (actual === undefined) return false;
      if (Array.isArray(actual)) {
        if (!values.every((v) => (actual as unknown[]).map(String).includes(v))) return false;
      } else if (!values.every((v) => String(actual) === v)) return false;
    }
    return true;
  });
}

export function listDevices(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireTailnet(ctx, params.tailnet);
  requireScope(ctx, 'devices:core:read');
  const fields = fieldsParam(ctx);
  const devices = filterDevices(ctx.world.state.devices, ctx.req.query);
  return json(200, { devices: devices.map((d) => renderDevice(d, fields)) });
}

function findDevice(ctx: TailscaleContext, id: string | undefined): DeviceRecord {
  const device = ctx.world.state.devices.find((d) => d.nodeId === id || d.id === id);
  if (!device) throw new TailscaleError(404, 'device not found');
  return device;
}

export function getDevice(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireScope(ctx, 'devices:core:read');
  return json(200, renderDevice(findDevice(ctx, params.deviceId), fieldsParam(ctx)));
}

export function deleteDevice(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireScope(ctx, 'devices:core');
  const device = findDevice(ctx, params.deviceId);
  ctx.world.state.devices = ctx.world.state.devices.filter((d) => d !== device);
  ctx.world.unschedule((e) => e.kind === 'reap' && e.deviceId === device.id);
  ctx.world.changed();
  return { status: 200 };
}

export function authorizeDevice(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireScope(ctx, 'devices:core');
  const device = findDevice(ctx, params.deviceId);
  const body = parseJson(ctx);
  if (typeof body.authorized !== 'boolean') throw new TailscaleError(400, 'authorized must be a boolean');
  device.authorized = body.authorized;
  ctx.world.changed();
  return { status: 200 };
}

function allocateAddresses(world: World): [string, string] {
  const used = new Set(world.state.devices.map((d) => d.addresses[0]));
  for (;;) {
    const ip = `100.${world.rng.int(64, 127)}.${world.rng.int(0, 255)}.${world.rng.int(1, 254)}`;
    if (used.has(ip)) continue;
    const groups = Array.from({ length: 5 }, () => world.rng.hex(4).replace(/^0+(?=.)/, ''));
    return [ip, `fd7a:115c:a1e0:${groups.join(':')}`];
  }
}

export interface Registration {
  hostname: string;
  tags: string[];
  ephemeral: boolean;
  preauthorized: boolean;
  sshEnabled: boolean;
  serverId: number | null;
  keyId: string | null;
  distro: DeviceRecord['distro'];
  endpoint: string;
}

export function registerDevice(world: World, reg: Registration): DeviceRecord {
  const now = world.now();
  const tagged = reg.tags.length > 0;
  const device: DeviceRecord = {
    id: String(world.rng.int(1, 9) * 10 ** 14 + world.rng.int(0, 10 ** 14 - 1)),
    nodeId: `n${world.rng.alnum(9)}CNTRL`,
    hostname: reg.hostname,
    name: uniqueName(machineName(reg.hostname), world.state.devices, world.state.tailnet.dnsName),
    addresses: allocateAddresses(world),
    tags: [...reg.tags],
    user: tagged ? 'tagged-devices' : 'sandbox-operator@example.com',
    created: now,
    keyExpiryDisabled: tagged,
    expires: tagged ? null : now + world.clock.scaleMs(180 * 86400),
    authorized: reg.preauthorized,
    isEphemeral: reg.ephemeral,
    connectedToControl: true,
    lastSeen: null,
    machineKey: `mkey:${world.rng.hex(64)}`,
    nodeKey: `nodekey:${world.rng.hex(64)}`,
    tailnetLockKey: `tlpub:${world.rng.hex(64)}`,
    sshEnabled: reg.sshEnabled,
    distro: reg.distro,
    endpoint: reg.endpoint,
    serverId: reg.serverId,
    keyId: reg.keyId,
    reapAt: null,
  };
  world.state.devices.push(device);
  return device;
}
