import { type JoinSpec, planBoot } from '../boot';
import { IMAGES } from '../hetzner/catalog';
import type { AuthKeyRecord, ServerRecord } from '../model';
import type { World } from '../world';
import { keyInvalidReason, newKeyRecord } from './keys';
import { registerDevice } from './devices';
import { goList, sameTags } from './names';
import { hashSecret } from './oauth';

/** Called when a server reaches `running`: reads its user_data and schedules the enrollment. */
export function startBoot(world: World, server: ServerRecord): void {
  const plan = planBoot(server.userData);
  if (!plan.ok) {
    server.boot = { state: 'no_join', reason: plan.reason, hostname: null, keyId: null, deviceId: null, enrollAt: null };
    return;
  }
  const enrollAt = world.now() + world.delayMs(world.profile.enrollment);
  server.boot = {
    state: 'booting',
    reason: null,
    hostname: plan.join.hostname ?? server.name,
    keyId: /^tskey-auth-([A-Za-z0-9]+)-/.exec(plan.join.authKey)?.[1] ?? null,
    deviceId: null,
    enrollAt,
  };
  world.schedule({ at: enrollAt, kind: 'enroll', serverId: server.id });
}

interface Admission {
  key: AuthKeyRecord | null;
  reason: string | null;
  tags: string[];
}

function admit(world: World, join: JoinSpec): Admission {
  const { credentials } = world.state;
  const now = world.now();
  // An OAuth client secret as auth key: the node mints its own key (ephemeral by default,
  // preauthorized only if asked) and must advertise the client's tags.
  if (join.authKey.startsWith('tskey-client-')) {
    const [secret, query = ''] = join.authKey.split('?');
    if (secret !== credentials.tailscaleClientSecret) return { key: null, reason: 'OAuth client secret is not valid', tags: [] };
    if (!join.advertiseTags || !sameTags(join.advertiseTags, credentials.tailscaleTags)) {
      return { key: null, reason: `an OAuth client secret needs --advertise-tags ${goList(credentials.tailscaleTags)}`, tags: [] };
    }
    const params = new URLSearchParams(query);
    const { record } = newKeyRecord(world, {
      expirySeconds: 3600,
      description: 'minted by tailscale up',
      reusable: false,
      ephemeral: params.get('ephemeral') !== 'false',
      preauthorized: params.get('preauthorized') === 'true',
      tags: [...credentials.tailscaleTags],
    });
    return { key: record, reason: null, tags: record.tags };
  }
  const match = /^tskey-auth-([A-Za-z0-9]+)-[A-Za-z0-9]+$/.exec(join.authKey);
  if (!match) return { key: null, reason: `auth key is malformed (expected tskey-auth-<id>-<secret>)`, tags: [] };
  const key = world.state.keys.find((k) => k.id === match[1]);
  if (!key || key.secretHash !== hashSecret(join.authKey)) return { key: null, reason: `invalid key: API key ${match[1]} not valid`, tags: [] };
  const invalid = keyInvalidReason(key, now);
  if (invalid) return { key, reason: invalid, tags: [] };
  if (join.advertiseTags !== null) {
    const permitted = key.tags.length > 0 ? sameTags(join.advertiseTags, key.tags) : join.advertiseTags.every((t) => credentials.tailscaleTags.includes(t));
    if (!permitted) return { key, reason: `--advertise-tags ${goList(join.advertiseTags)} are not permitted by auth key ${key.id} (tags ${goList(key.tags)})`, tags: [] };
  }
  return { key, reason: null, tags: key.tags.length > 0 ? key.tags : (join.advertiseTags ?? []) };
}

/** The `enroll` event: `tailscale up` reaches the coordination server. */
export function enroll(world: World, serverId: number): void {
  const server = world.state.servers.find((s) => s.id === serverId);
  if (!server || server.status !== 'running' || server.boot.state !== 'booting') return;
  const plan = planBoot(server.userData);
  if (!plan.ok) return;
  const hostname = server.boot.hostname ?? server.name;
  const now = world.now();
  if (world.faults.enrollmentSuppressed(hostname)) {
    server.boot = { ...server.boot, state: 'suppressed', reason: 'enrollment suppressed by fault injection: the node never reaches the coordination server' };
    return;
  }
  const { key, reason, tags } = admit(world, plan.join);
  if (reason !== null || key === null) {
    key?.rejections.push({ serverId, reason: reason ?? 'unknown', at: now });
    server.boot = { ...server.boot, state: 'failed', reason };
    return;
  }
  const image = IMAGES.find((i) => i.id === server.imageId);
  const device = registerDevice(world, {
    hostname,
    tags,
    ephemeral: key.ephemeral,
    preauthorized: key.preauthorized,
    sshEnabled: plan.join.ssh,
    serverId,
    keyId: key.id,
    distro: { name: image?.os_flavor ?? 'ubuntu', version: image?.os_version ?? '24.04', codeName: image?.codeName ?? 'noble' },
    endpoint: `${server.ipv4?.ip ?? '203.0.113.1'}:41641`,
  });
  key.uses.push({ serverId, deviceId: device.id, at: now });
  server.boot = { ...server.boot, state: 'enrolled', reason: null, keyId: key.id, deviceId: device.id };
}

/** The server is being deleted: a pending join never happens, its devices drop off the tailnet. */
export function serverGoesAway(world: World, server: ServerRecord): void {
  const now = world.now();
  world.unschedule((e) => e.kind === 'enroll' && e.serverId === server.id);
  if (server.boot.state === 'booting' || server.boot.state === 'pending') {
    server.boot = { ...server.boot, state: 'cancelled', reason: 'server deleted before the device enrolled' };
  }
  for (const device of world.state.devices) {
    if (device.serverId !== server.id || !device.connectedToControl) continue;
    device.connectedToControl = false;
    device.lastSeen = now;
    if (device.isEphemeral) {
      device.reapAt = now + world.delayMs(world.profile.ephemeralReap);
      world.schedule({ at: device.reapAt, kind: 'reap', deviceId: device.id });
    }
  }
}

export function reap(world: World, deviceId: string): void {
  world.state.devices = world.state.devices.filter((d) => !(d.id === deviceId && d.isEphemeral && !d.connectedToControl));
}
