import { describe, expect, it } from 'vitest';
import { EnrollmentWatcher, matchDevice } from '../../../electron/core/fleet/enrollment-watcher';
import type { Device } from '../../../electron/core/tailscale/types';
import { virtualTime } from '../../fixtures/virtual-time';

const KEY_CREATED = Date.parse('2026-08-20T10:00:00Z');
const dev = (over: Partial<Device>): Device => ({
  id: '1',
  nodeId: 'n-new',
  name: 'hz-1-ab12.tail.ts.net',
  hostname: 'hz-1-ab12',
  addresses: ['100.64.0.1'],
  tags: ['tag:outpost'],
  created: '2026-08-20T10:01:00Z',
  connectedToControl: true,
  authorized: true,
  isEphemeral: true,
  ...over,
});
const want = { hostname: 'hz-1-ab12', tags: ['tag:outpost'], ephemeral: true, notBefore: KEY_CREATED };

describe('matchDevice', () => {
  it('matches by exact hostname, tags ⊇ expected, isEphemeral and created ≥ key − skew; never by name', () => {
    const lingering = dev({ nodeId: 'n-old', created: '2026-08-19T09:00:00Z', connectedToControl: false });
    const ours = dev({ name: 'hz-1-ab12-1.tail.ts.net', tags: ['tag:outpost', 'tag:extra'] });
    expect(matchDevice([lingering, ours], want, 60_000)?.nodeId).toBe('n-new');
    expect(matchDevice([lingering], want, 60_000)).toBeUndefined();
    expect(matchDevice([dev({ hostname: 'HZ-1-AB12' })], want, 0)).toBeUndefined();
    expect(matchDevice([dev({ hostname: 'other', name: 'hz-1-ab12.tail.ts.net' })], want, 0)).toBeUndefined();
    expect(matchDevice([dev({ tags: [] })], want, 0)).toBeUndefined();
    expect(matchDevice([dev({ isEphemeral: false })], want, 0)).toBeUndefined();
    expect(matchDevice([dev({ created: '' })], want, 0)).toBeUndefined();
    expect(matchDevice([dev({ created: '2026-08-20T09:59:30Z' })], want, 60_000)).toBeDefined();
  });

  it('prefers an online device over an offline twin created in the same second', () => {
    const twin = dev({ nodeId: 'n-old', created: '2026-08-20T10:01:00Z', connectedToControl: false });
    const ours = dev({ nodeId: 'n-new', created: '2026-08-20T10:01:00Z' });
    expect(matchDevice([twin, ours], want, 60_000)?.nodeId).toBe('n-new');
    const newest = dev({ nodeId: 'n-newest', created: '2026-08-20T10:02:00Z' });
    expect(matchDevice([ours, newest], want, 60_000)?.nodeId).toBe('n-newest');
  });
});

describe('EnrollmentWatcher', () => {
  it('serves every pending enrollment with one list per tick and stops when none is left', async () => {
    const vt = virtualTime();
    const devices: Device[] = [];
    const lists: unknown[] = [];
    const watcher = new EnrollmentWatcher({
      devices: { list: (o) => (lists.push(o), Promise.resolve([...devices])) },
      clock: vt.clock,
      sleep: vt.sleep,
      intervalMs: 1000,
    });
    const waits = [...Array(10)].map((_, i) => watcher.wait(`h-${i}`, { tags: ['tag:outpost'], notBefore: KEY_CREATED }));
    await vt.advance(3000);
    expect(lists).toHaveLength(3);
    expect(lists[0]).toEqual({ tags: ['tag:outpost'] });
    for (let i = 0; i < 10; i++) devices.push(dev({ hostname: `h-${i}`, nodeId: `n-${i}`, connectedToControl: i % 2 === 0 }));
    await vt.advance(1000);
    expect(watcher.pendingCount).toBe(5); // the offline ones wait until they connect
    for (const d of devices) d.connectedToControl = true;
    await vt.advance(1000);
    const got = await Promise.all(waits);
    expect(got.map((d) => d.nodeId)).toEqual([...Array(10)].map((_, i) => `n-${i}`));
    const before = lists.length;
    await vt.advance(5000);
    expect(lists.length).toBe(before);
  });

  it('rejects on cancel and on an unauthorized list', async () => {
    const vt = virtualTime();
    const { OutpostError } = await import('../../../shared/errors');
    const watcher = new EnrollmentWatcher({
      devices: { list: () => Promise.reject(new OutpostError('unauthorized', 'API token invalid')) },
      clock: vt.clock,
      sleep: vt.sleep,
      intervalMs: 100,
    });
    const ac = new AbortController();
    const cancelled = watcher.wait('a', { tags: [], notBefore: 0, signal: ac.signal }).catch((e: unknown) => e);
    ac.abort();
    expect(await cancelled).toMatchObject({ code: 'cancelled' });
    const failed = watcher.wait('b', { tags: [], notBefore: 0 }).catch((e: unknown) => e);
    await vt.advance(200);
    expect(await failed).toMatchObject({ code: 'unauthorized' });
  });
});
