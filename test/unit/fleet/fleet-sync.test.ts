import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/core/db/store';
import type { InstancesRepo } from '../../../electron/core/db/repos/instances';
import { FleetSync, MANAGED_SELECTOR } from '../../../electron/core/fleet/fleet-sync';
import type { Server } from '../../../electron/core/hetzner/types';
import type { Device } from '../../../electron/core/tailscale/types';

const AT = '2026-08-20T10:00:00.000Z';
let store: Store;
let repo: InstancesRepo;

beforeEach(async () => {
  store = await Store.open(':memory:');
  repo = store.instances;
  await store.agents.insert({ id: 'a1', name: 'agent', customer: null, at: AT });
  await store.agents.setStatus('a1', 'active', AT);
  // A provision job still running (its server not yet recorded on an instance).
  await store.jobs.insert({ id: 'job-live', kind: 'provision', instanceId: null, paymentId: null, params: {}, at: AT });
  await store.jobs.update('job-live', { status: 'running' }, AT);
  const add = async (id: string, status: string, serverId: number | null, extra: Record<string, unknown> = {}) => {
    await repo.insert({ id, name: id, agentId: 'a1', jobId: `job-${id}`, region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: `h-${id}`, monthlyPriceGross: null, at: AT });
    await repo.update(id, { status: status as never, serverId, ...extra }, AT);
  };
  await add('i-run', 'running', 1, { nodeId: 'n1', enrollment: 'online' });
  await add('i-gone', 'running', 2, { nodeId: 'n2', enrollment: 'online' });
  await add('i-prov', 'provisioning', 3);
  await add('i-destroying', 'destroying', 4);
  await add('i-new', 'running', 5);
});
afterEach(async () => {
  await store.close();
});

const server = (id: number, labels: Record<string, string>, v4 = `203.0.113.${id}`): Server =>
  ({ id, name: `s${id}`, status: 'running', created: AT, public_net: { ipv4: { ip: v4 }, ipv6: { ip: `2001:db8:${id}::/64` } }, labels }) as Server;
const device = (over: Partial<Device>): Device => ({
  id: 'x', nodeId: 'n', name: 'n', hostname: 'h', addresses: ['100.64.0.9', 'fd7a::9'], tags: ['tag:outpost'], created: AT, authorized: true, isEphemeral: true, connectedToControl: true, ...over,
});

describe('FleetSync', () => {
  it('reconciles IPs and tailnet state, flags drift, adopts enrolled servers and reports unowned ones', async () => {
    const managed = { 'outpost.managed': 'true' };
    const servers = [
      server(1, { ...managed, 'outpost.job': 'job-i-run' }),
      server(3, { ...managed, 'outpost.job': 'job-i-prov' }),
      server(5, { ...managed, 'outpost.job': 'job-i-new' }),
      server(77, { ...managed, 'outpost.job': 'job-live' }), // create in flight, not yet recorded
      { ...server(99, { ...managed, 'outpost.job': 'job-forgotten', 'outpost.agent': 'a9', 'outpost.store': 'feedface' }), created: '2026-08-20T09:00:00.000Z' },
      server(100, { ...managed, 'outpost.job': 'job-elsewhere', 'outpost.agent': 'build_botZ3A', 'outpost.store': 'cafe01', 'outpost.payment': 'INV-9' }),
      server(101, { 'managed-by': 'someone-else' }), // no Outpost label: an API that ignored the selector
      server(102, { ...managed, 'outpost.job': 'job-young' }), // being provisioned elsewhere
    ];
    const devices = [
      device({ nodeId: 'n1', hostname: 'h-i-run', connectedToControl: false, lastSeen: '2026-08-20T09:59:00Z', addresses: ['100.64.0.1'] }),
      device({ nodeId: 'n5', hostname: 'h-i-new', addresses: ['100.64.0.5'] }),
      device({ nodeId: 'nX', hostname: 'h-i-new', tags: ['tag:other'] }),
      // i-gone's server was deleted in the console: its device lingers offline (drift, not destroyed).
      device({ nodeId: 'n2', hostname: 'h-i-gone', connectedToControl: false, lastSeen: '2026-08-20T09:58:00Z' }),
      device({ nodeId: 'n100', hostname: 's100', addresses: ['100.64.0.100'] }),
      device({ nodeId: 'n101', hostname: 's101' }),
    ];
    const selectors: unknown[] = [];
    const sync = new FleetSync({
      store,
      servers: { list: (q) => (selectors.push(q.labelSelector), Promise.resolve(servers)) },
      devices: { list: () => Promise.resolve(devices) },
      tags: ['tag:outpost'],
      clock: { now: () => Date.parse('2026-08-20T10:05:00Z') },
    });
    const report = await sync.sync();
    expect(selectors).toEqual([MANAGED_SELECTOR]);
    expect(report.drifted).toEqual(['i-gone']);
    expect(report.unowned).toEqual([
      { serverId: 99, name: 's99', status: 'running', created: '2026-08-20T09:00:00.000Z', region: null, serverType: null, publicIpv4: '203.0.113.99', jobId: 'job-forgotten', agentName: 'a9', paymentReference: null, originStore: 'feedface' },
    ]);
    expect(report.pending).toBe(1);
    expect(report.destroyed).toEqual([]);
    expect(report.adopted).toHaveLength(1);
    const adopted = (await repo.get(report.adopted[0]!))!;
    expect(adopted).toMatchObject({
      origin: 'adopted', originStore: 'cafe01', adoptedAt: '2026-08-20T10:05:00.000Z', paymentReference: 'INV-9', agentName: 'build bot:', serverId: 100,
      status: 'running', nodeId: 'n100', enrollment: 'online', tailnetIp: '100.64.0.100', publicIpv4: '203.0.113.100', jobId: null, createdAt: AT,
    });
    // Never shown, touched or called unowned: the server without Outpost's label.
    expect((await repo.list()).some((i) => i.serverId === 101)).toBe(false);
    expect(report.unowned.some((u) => u.serverId === 101)).toBe(false);
    expect(report.devices).toBe('ok');
    expect(report.serverStatus).toMatchObject({ 'i-run': 'running', 'i-prov': 'running' });

    const run = (await repo.get('i-run'))!;
    expect(run).toMatchObject({ publicIpv4: '203.0.113.1', publicIpv6: '2001:db8:1::/64', enrollment: 'offline', lastSeen: '2026-08-20T09:59:00Z', tailnetIp: '100.64.0.1', drift: false });
    expect(await repo.get('i-gone')).toMatchObject({ drift: true, enrollment: 'offline', status: 'running' });
    expect(await repo.get('i-run')).toMatchObject({ origin: 'local', adoptedAt: null });
    expect(await repo.get('i-new')).toMatchObject({ nodeId: 'n5', enrollment: 'online', tailnetIp: '100.64.0.5', lastSeen: '2026-08-20T10:05:00.000Z' });
    expect(await repo.get('i-destroying')).toMatchObject({ drift: false });
    expect(report.updated.sort()).toEqual([...report.adopted, 'i-gone', 'i-new', 'i-prov', 'i-run'].sort());

    // Second run: nothing meaningful changed; drift persists and is still reported; nothing adopted twice.
    const again = await sync.sync();
    expect(again.updated).toEqual([]);
    expect(again.adopted).toEqual([]);
    expect(again.drifted).toEqual(['i-gone']);
    // Drift stays drift even once Tailscale reaps the lingering device, long after.
    devices.splice(devices.findIndex((d) => d.nodeId === 'n2'), 1);
    const later = new FleetSync({ store, servers: { list: () => Promise.resolve(servers) }, devices: { list: () => Promise.resolve(devices) }, tags: ['tag:outpost'], clock: { now: () => Date.parse('2026-08-20T11:05:00Z') } });
    expect((await later.sync()).drifted).toEqual(['i-gone']);
    expect(await repo.get('i-gone')).toMatchObject({ status: 'running', drift: true });
  });

  it('clears drift when the server is back and survives a failed device list', async () => {
    await repo.update('i-gone', { drift: true }, AT);
    const sync = new FleetSync({
      store,
      servers: { list: () => Promise.resolve([server(2, { 'outpost.managed': 'true' })]) },
      devices: { list: () => Promise.reject(new Error('tailscale down')) },
      tags: ['tag:outpost'],
    });
    const report = await sync.sync();
    expect(report.devices).toBe('failed');
    expect(await repo.get('i-gone')).toMatchObject({ drift: false, enrollment: 'online' });
  });

  it('records as destroyed a running instance whose server and device are both gone (an Outpost destroy), at once or within the window', async () => {
    const at = (t: string) => ({ now: () => Date.parse(t) });
    const managed = { 'outpost.managed': 'true' };
    const servers = [server(1, managed), server(3, managed), server(5, managed)];
    // i-gone: server and device gone at the first look. i-run: server gone, device still there, then deleted a minute later.
    let devices = [device({ nodeId: 'n1', hostname: 'h-i-run' })];
    const opts = { store, servers: { list: () => Promise.resolve(servers.filter((s) => s.id !== 1)) }, devices: { list: () => Promise.resolve(devices) }, tags: ['tag:outpost'] };
    const first = await new FleetSync({ ...opts, clock: at('2026-08-20T10:05:00Z') }).sync();
    expect(first.destroyed).toEqual(['i-gone']);
    expect(first.drifted).toEqual(['i-run']);
    expect(await repo.get('i-gone')).toMatchObject({ status: 'destroyed', drift: false, enrollment: 'gone' });
    expect((await store.agents.get('a1'))?.status).toBe('destroyed');
    devices = [];
    const second = await new FleetSync({ ...opts, clock: at('2026-08-20T10:06:00Z') }).sync();
    expect(second.destroyed).toEqual(['i-run']);
    expect(second.drifted).toEqual([]);
    expect(await repo.get('i-run')).toMatchObject({ status: 'destroyed', drift: false });
  });

  it('does not call the server destroyed when the device list failed: drift, decided later', async () => {
    const opts = { store, servers: { list: () => Promise.resolve([]) }, tags: ['tag:outpost'], clock: { now: () => Date.parse('2026-08-20T10:05:00Z') } };
    const report = await new FleetSync({ ...opts, devices: { list: () => Promise.reject(new Error('down')) } }).sync();
    expect(report.destroyed).toEqual([]);
    expect(report.drifted.sort()).toEqual(['i-gone', 'i-new', 'i-run']);
    expect(report.pending).toBe(0);
  });
});
