import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/open';
import type { Database } from '../../../electron/core/db/driver';
import { InstancesRepo } from '../../../electron/core/db/repos/instances';
import { FleetSync, MANAGED_SELECTOR } from '../../../electron/core/fleet/fleet-sync';
import type { Server } from '../../../electron/core/hetzner/types';
import type { Device } from '../../../electron/core/tailscale/types';

const AT = '2026-08-20T10:00:00.000Z';
let db: Database;
let repo: InstancesRepo;

beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new InstancesRepo(db);
  db.prepare(`INSERT INTO agents (id, name, status, created_at, updated_at) VALUES ('a1', 'agent', 'active', ?, ?)`).run(AT, AT);
  db.prepare(`INSERT INTO jobs (id, kind, status, created_at, updated_at) VALUES ('job-live', 'provision', 'running', ?, ?)`).run(AT, AT);
  const add = (id: string, status: string, serverId: number | null, extra: Record<string, unknown> = {}) => {
    repo.insert({ id, name: id, agentId: 'a1', jobId: `job-${id}`, region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', hostname: `h-${id}`, monthlyPriceGross: null, at: AT });
    repo.update(id, { status: status as never, serverId, ...extra }, AT);
  };
  add('i-run', 'running', 1, { nodeId: 'n1', enrollment: 'online' });
  add('i-gone', 'running', 2, { nodeId: 'n2', enrollment: 'online' });
  add('i-prov', 'provisioning', 3);
  add('i-destroying', 'destroying', 4);
  add('i-new', 'running', 5);
});
afterEach(() => db.close());

const server = (id: number, labels: Record<string, string>, v4 = `203.0.113.${id}`): Server =>
  ({ id, name: `s${id}`, status: 'running', created: AT, public_net: { ipv4: { ip: v4 }, ipv6: { ip: `2001:db8:${id}::/64` } }, labels }) as Server;
const device = (over: Partial<Device>): Device => ({
  id: 'x', nodeId: 'n', name: 'n', hostname: 'h', addresses: ['100.64.0.9', 'fd7a::9'], tags: ['tag:outpost'], created: AT, authorized: true, isEphemeral: true, connectedToControl: true, ...over,
});

describe('FleetSync', () => {
  it('reconciles IPs and tailnet state, flags drift and reports orphans', async () => {
    const managed = { 'outpost.managed': 'true' };
    const servers = [
      server(1, { ...managed, 'outpost.job': 'job-i-run' }),
      server(3, { ...managed, 'outpost.job': 'job-i-prov' }),
      server(5, { ...managed, 'outpost.job': 'job-i-new' }),
      server(77, { ...managed, 'outpost.job': 'job-live' }), // create in flight, not yet recorded
      server(99, { ...managed, 'outpost.job': 'job-forgotten', 'outpost.agent': 'a9' }),
    ];
    const devices = [
      device({ nodeId: 'n1', hostname: 'h-i-run', connectedToControl: false, lastSeen: '2026-08-20T09:59:00Z', addresses: ['100.64.0.1'] }),
      device({ nodeId: 'n5', hostname: 'h-i-new', addresses: ['100.64.0.5'] }),
      device({ nodeId: 'nX', hostname: 'h-i-new', tags: ['tag:other'] }),
    ];
    const selectors: unknown[] = [];
    const sync = new FleetSync({
      db,
      servers: { list: (q) => (selectors.push(q.labelSelector), Promise.resolve(servers)) },
      devices: { list: () => Promise.resolve(devices) },
      tags: ['tag:outpost'],
      clock: { now: () => Date.parse('2026-08-20T10:05:00Z') },
    });
    const report = await sync.sync();
    expect(selectors).toEqual([MANAGED_SELECTOR]);
    expect(report.drifted).toEqual(['i-gone']);
    expect(report.orphans).toEqual([{ serverId: 99, name: 's99', status: 'running', created: AT, labels: servers[4]!.labels }]);
    expect(report.devices).toBe('ok');
    expect(report.serverStatus).toMatchObject({ 'i-run': 'running', 'i-prov': 'running' });

    const run = repo.get('i-run')!;
    expect(run).toMatchObject({ publicIpv4: '203.0.113.1', publicIpv6: '2001:db8:1::/64', enrollment: 'offline', lastSeen: '2026-08-20T09:59:00Z', tailnetIp: '100.64.0.1', drift: false });
    expect(repo.get('i-gone')).toMatchObject({ drift: true, enrollment: 'gone' });
    expect(repo.get('i-new')).toMatchObject({ nodeId: 'n5', enrollment: 'online', tailnetIp: '100.64.0.5', lastSeen: '2026-08-20T10:05:00.000Z' });
    expect(repo.get('i-destroying')).toMatchObject({ drift: false });
    expect(report.updated.sort()).toEqual(['i-gone', 'i-new', 'i-prov', 'i-run']);

    // Second run: nothing meaningful changed; drift persists and is still reported.
    const again = await sync.sync();
    expect(again.updated).toEqual([]);
    expect(again.drifted).toEqual(['i-gone']);
  });

  it('clears drift when the server is back and survives a failed device list', async () => {
    repo.update('i-gone', { drift: true }, AT);
    const sync = new FleetSync({
      db,
      servers: { list: () => Promise.resolve([server(2, { 'outpost.managed': 'true' })]) },
      devices: { list: () => Promise.reject(new Error('tailscale down')) },
      tags: ['tag:outpost'],
    });
    const report = await sync.sync();
    expect(report.devices).toBe('failed');
    expect(repo.get('i-gone')).toMatchObject({ drift: false, enrollment: 'online' });
  });
});
