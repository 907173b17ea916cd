// Cleanup (electron/core/provisioning/cleanup.ts) against scripted clouds: each branch that decides
// whether something is deleted, and what the job's record says about it. Written to kill the mutants
// StrykerJS found surviving the integration tests (bench/results/mutation-survivors.md): a removal
// that silently does nothing leaves a paid server or a valid auth key behind.
import { describe, expect, it, vi } from 'vitest';
import type { Clouds } from '../../../electron/core/clouds';
import { HetznerError } from '../../../electron/core/hetzner';
import { keyDescription, removeDevice, removeServer, revokeJobKeys, revokeKey } from '../../../electron/core/provisioning/cleanup';

const signal = new AbortController().signal;
const hetznerError = (status: number, apiCode: string) => new HetznerError({ status, apiCode, message: apiCode, method: 'DELETE', path: '/servers/7', attempts: 1 });
const action = (id: number) => ({ id, command: 'delete_server', status: 'running' });

interface Fakes {
  findServerByLabel?: (label: string) => Promise<{ id: number } | null>;
  deleteServer?: (id: number) => Promise<unknown>;
  serverActions?: (id: number, options: { status?: string[] }) => Promise<unknown[]>;
  waitFor?: (a: unknown, options?: unknown) => Promise<unknown>;
  listDevices?: (options: { filters?: { hostname?: string } }) => Promise<unknown[]>;
  deleteDevice?: (id: string) => Promise<boolean>;
  getKey?: (id: string) => Promise<unknown>;
  listKeys?: () => Promise<unknown[]>;
  deleteKey?: (id: string) => Promise<boolean>;
}

function clouds(f: Fakes) {
  const spies = {
    findServerByLabel: vi.fn(f.findServerByLabel ?? (async () => null)),
    deleteServer: vi.fn(f.deleteServer ?? (async (id: number) => action(id))),
    serverActions: vi.fn(f.serverActions ?? (async () => [])),
    waitFor: vi.fn(f.waitFor ?? (async (a: unknown, _options?: unknown) => a)),
    listDevices: vi.fn(f.listDevices ?? (async () => [])),
    deleteDevice: vi.fn(f.deleteDevice ?? (async () => true)),
    getKey: vi.fn(f.getKey ?? (async () => null)),
    listKeys: vi.fn(f.listKeys ?? (async () => [])),
    deleteKey: vi.fn(f.deleteKey ?? (async () => true)),
  };
  const c = {
    hetzner: { servers: { findServerByLabel: spies.findServerByLabel, delete: spies.deleteServer, actions: spies.serverActions } },
    actions: { waitFor: spies.waitFor },
    tailscale: {
      devices: { list: spies.listDevices, delete: spies.deleteDevice },
      keys: { get: spies.getKey, list: spies.listKeys, delete: spies.deleteKey },
    },
    tags: ['tag:agent'],
  } as unknown as Clouds;
  return { c, spies };
}

describe('removeServer', () => {
  it('deletes the recorded server and waits for the delete action', async () => {
    const { c, spies } = clouds({});
    await expect(removeServer(c, { serverId: 7, jobLabel: 'outpost.job=j1' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'deleted', id: 7 });
    expect(spies.findServerByLabel).not.toHaveBeenCalled();
    expect(spies.deleteServer).toHaveBeenCalledWith(7, { signal });
    expect(spies.waitFor).toHaveBeenCalledWith(action(7), expect.objectContaining({ signal: expect.any(AbortSignal) }));
  });

  it('without a recorded id, finds the server by its job label', async () => {
    const { c, spies } = clouds({ findServerByLabel: async () => ({ id: 9 }) });
    await expect(removeServer(c, { serverId: undefined, jobLabel: 'outpost.job=j1' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'deleted', id: 9 });
    expect(spies.findServerByLabel).toHaveBeenCalledWith('outpost.job=j1', { signal });
    expect(spies.deleteServer).toHaveBeenCalledWith(9, { signal });
  });

  it('with no id and no labelled server, deletes nothing: not_created', async () => {
    const { c, spies } = clouds({});
    await expect(removeServer(c, { serverId: undefined, jobLabel: 'outpost.job=j1' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'not_created', id: null });
    expect(spies.deleteServer).not.toHaveBeenCalled();
  });

  it('a server already gone (delete answers null) is already_gone, nothing waited for', async () => {
    const { c, spies } = clouds({ deleteServer: async () => null });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'already_gone', id: 7 });
    expect(spies.waitFor).not.toHaveBeenCalled();
  });

  it('a locked server: waits for its running actions, then deletes', async () => {
    let deletes = 0;
    const { c, spies } = clouds({
      deleteServer: async (id) => {
        deletes += 1;
        if (deletes === 1) throw hetznerError(423, 'locked');
        return action(id);
      },
      serverActions: async () => [action(1), action(2)],
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'deleted', id: 7 });
    expect(spies.deleteServer).toHaveBeenCalledTimes(2);
    expect(spies.serverActions).toHaveBeenCalledWith(7, expect.objectContaining({ status: ['running'] }));
    // Both running actions, then the delete action, each wait cancellable.
    expect(spies.waitFor.mock.calls.map(([a]) => (a as { id: number }).id)).toEqual([1, 2, 7]);
    for (const [, options] of spies.waitFor.mock.calls) expect(options).toEqual({ signal: expect.any(AbortSignal) });
  });

  it('gives up after four locked answers and throws the last', async () => {
    const { c, spies } = clouds({
      deleteServer: async () => {
        throw hetznerError(423, 'locked');
      },
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).rejects.toMatchObject({ apiCode: 'locked' });
    expect(spies.deleteServer).toHaveBeenCalledTimes(4);
  });

  it('a lock that was its own earlier delete (the server is gone while waiting) is already_gone', async () => {
    const { c, spies } = clouds({
      deleteServer: async () => {
        throw hetznerError(423, 'locked');
      },
      serverActions: async () => {
        throw hetznerError(404, 'not_found');
      },
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).resolves.toEqual({ target: 'server', outcome: 'already_gone', id: 7 });
    expect(spies.deleteServer).toHaveBeenCalledTimes(1);
  });

  it('any other failure while waiting for the lock is thrown', async () => {
    const { c } = clouds({
      deleteServer: async () => {
        throw hetznerError(423, 'locked');
      },
      serverActions: async () => {
        throw hetznerError(500, 'server_error');
      },
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).rejects.toMatchObject({ status: 500 });
  });

  // A wait that never ends: it settles only when its signal aborts (the deadline).
  const untilAborted = (_a: unknown, options?: unknown) =>
    new Promise((_resolve, reject) => (options as { signal: AbortSignal }).signal.addEventListener('abort', () => reject(new Error('aborted'))));

  it('a delete action that never finishes times out, naming the server', async () => {
    const { c } = clouds({ waitFor: untilAborted });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 20)).rejects.toMatchObject({ code: 'timeout', message: 'Deleting server 7 did not happen within 20 ms.' });
  });

  it('a lock whose actions cannot even be listed in time times out, naming the server', async () => {
    const { c } = clouds({
      deleteServer: async () => {
        throw hetznerError(423, 'locked');
      },
      serverActions: (_id, options) => untilAborted(null, options) as Promise<unknown[]>,
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 20)).rejects.toMatchObject({ code: 'timeout', message: 'Server 7 unlocked did not happen within 20 ms.' });
  });

  it('an error other than locked is thrown at once, never retried', async () => {
    const { c, spies } = clouds({
      deleteServer: async () => {
        throw hetznerError(403, 'forbidden');
      },
    });
    await expect(removeServer(c, { serverId: 7, jobLabel: 'l' }, signal, 5_000)).rejects.toMatchObject({ apiCode: 'forbidden' });
    expect(spies.deleteServer).toHaveBeenCalledTimes(1);
    expect(spies.serverActions).not.toHaveBeenCalled();
  });
});

const device = (over: Record<string, unknown>) => ({
  id: 'd',
  nodeId: 'n1',
  name: 'vm-1.tail.ts.net',
  hostname: 'vm-1',
  addresses: [],
  tags: ['tag:agent'],
  created: '2026-08-20T10:00:30Z',
  authorized: true,
  isEphemeral: true,
  ...over,
});

describe('removeDevice', () => {
  it('deletes the recorded node', async () => {
    const { c, spies } = clouds({});
    await expect(removeDevice(c, { nodeId: 'n7', hostname: 'vm-1', keyCreated: '2026-08-20T10:00:00Z' }, signal)).resolves.toEqual({ target: 'device', outcome: 'deleted', id: 'n7' });
    expect(spies.listDevices).not.toHaveBeenCalled();
    expect(spies.deleteDevice).toHaveBeenCalledWith('n7', { signal });
  });

  it('a node the tailnet no longer has is already_gone', async () => {
    const { c } = clouds({ deleteDevice: async () => false });
    await expect(removeDevice(c, { nodeId: 'n7', hostname: 'vm-1', keyCreated: undefined }, signal)).resolves.toEqual({ target: 'device', outcome: 'already_gone', id: 'n7' });
  });

  it('without a node id, finds the device the key made (hostname, tags, created after the key) and deletes it', async () => {
    const { c, spies } = clouds({ listDevices: async () => [device({ nodeId: 'n-old', created: '2026-08-20T09:00:00Z' }), device({ nodeId: 'n-new' })] });
    await expect(removeDevice(c, { nodeId: undefined, hostname: 'vm-1', keyCreated: '2026-08-20T10:00:00Z' }, signal)).resolves.toEqual({ target: 'device', outcome: 'deleted', id: 'n-new' });
    expect(spies.listDevices).toHaveBeenCalledWith({ filters: { hostname: 'vm-1' }, signal });
    expect(spies.deleteDevice).toHaveBeenCalledWith('n-new', { signal });
  });

  it('allows two minutes of clock skew before the key, not more', async () => {
    const within = clouds({ listDevices: async () => [device({ nodeId: 'n-skew', created: '2026-08-20T09:58:30Z' })] });
    await expect(removeDevice(within.c, { nodeId: undefined, hostname: 'vm-1', keyCreated: '2026-08-20T10:00:00Z' }, signal)).resolves.toMatchObject({ outcome: 'deleted', id: 'n-skew' });
    const before = clouds({ listDevices: async () => [device({ nodeId: 'n-skew', created: '2026-08-20T09:57:30Z' })] });
    await expect(removeDevice(before.c, { nodeId: undefined, hostname: 'vm-1', keyCreated: '2026-08-20T10:00:00Z' }, signal)).resolves.toMatchObject({ outcome: 'not_created' });
    expect(before.spies.deleteDevice).not.toHaveBeenCalled();
  });

  it("never deletes another machine: not ephemeral, another hostname, or missing the client's tags", async () => {
    const { c, spies } = clouds({
      listDevices: async () => [device({ isEphemeral: false }), device({ hostname: 'vm-10' }), device({ tags: ['tag:other'] })],
    });
    await expect(removeDevice(c, { nodeId: undefined, hostname: 'vm-1', keyCreated: '2026-08-20T10:00:00Z' }, signal)).resolves.toEqual({ target: 'device', outcome: 'not_created', id: null });
    expect(spies.deleteDevice).not.toHaveBeenCalled();
  });

  it('with neither a node id nor a minted key, nothing can have joined: not_created without a lookup', async () => {
    const { c, spies } = clouds({ listDevices: async () => [device({})] });
    await expect(removeDevice(c, { nodeId: undefined, hostname: 'vm-1', keyCreated: undefined }, signal)).resolves.toEqual({ target: 'device', outcome: 'not_created', id: null });
    expect(spies.listDevices).not.toHaveBeenCalled();
  });
});

const key = (id: string, over: Record<string, unknown> = {}) => ({ id, description: keyDescription('job_1'), invalid: false, ...over });

describe('revokeKey', () => {
  it('no key minted: not_created, nothing asked', async () => {
    const { c, spies } = clouds({});
    await expect(revokeKey(c, undefined, signal)).resolves.toEqual({ target: 'key', outcome: 'not_created', id: null });
    expect(spies.getKey).not.toHaveBeenCalled();
  });

  it('a valid key is deleted: revoked', async () => {
    const { c, spies } = clouds({ getKey: async (id) => key(id) });
    await expect(revokeKey(c, 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'revoked', id: 'k1' });
    expect(spies.deleteKey).toHaveBeenCalledWith('k1', { signal });
  });

  it('a key gone between get and delete is already_gone', async () => {
    const { c } = clouds({ getKey: async (id) => key(id), deleteKey: async () => false });
    await expect(revokeKey(c, 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'already_gone', id: 'k1' });
  });

  it('an unknown key is already_gone; a used or expired one already_invalid; neither is deleted', async () => {
    const gone = clouds({ getKey: async () => null });
    await expect(revokeKey(gone.c, 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'already_gone', id: 'k1' });
    const used = clouds({ getKey: async (id) => key(id, { invalid: true }) });
    await expect(revokeKey(used.c, 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'already_invalid', id: 'k1' });
    expect(gone.spies.deleteKey).not.toHaveBeenCalled();
    expect(used.spies.deleteKey).not.toHaveBeenCalled();
  });
});

describe('revokeJobKeys', () => {
  it("also revokes the job's stray keys (a lost create answer), only valid ones with this job's description", async () => {
    const { c, spies } = clouds({
      getKey: async (id) => key(id),
      listKeys: async () => [key('k1'), key('k2'), key('k3', { invalid: true }), key('k4', { description: keyDescription('job_2') })],
    });
    await expect(revokeJobKeys(c, 'job_1', 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'revoked', id: 'k1,k2' });
    expect(spies.deleteKey.mock.calls).toEqual([
      ['k1', { signal }],
      ['k2', { signal }],
    ]);
    expect(spies.listKeys).toHaveBeenCalledWith({ signal });
    expect(spies.getKey).toHaveBeenCalledWith('k1', { signal });
  });

  it('strays without a recorded key are named alone', async () => {
    const { c } = clouds({ listKeys: async () => [key('k2')] });
    await expect(revokeJobKeys(c, 'job_1', undefined, signal)).resolves.toEqual({ target: 'key', outcome: 'revoked', id: 'k2' });
  });

  it("without strays, the recorded key's own outcome is the answer", async () => {
    const { c, spies } = clouds({ getKey: async (id) => key(id, { invalid: true }), listKeys: async () => [key('k1', { invalid: true })] });
    await expect(revokeJobKeys(c, 'job_1', 'k1', signal)).resolves.toEqual({ target: 'key', outcome: 'already_invalid', id: 'k1' });
    expect(spies.deleteKey).not.toHaveBeenCalled();
  });

  it('the description is the job id, in the characters Tailscale allows', () => {
    expect(keyDescription('job_01J.x')).toBe('outpost job-01J-x');
  });
});
