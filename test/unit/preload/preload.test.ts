import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel, OutpostApi } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { EVENT_CHANNEL, RENDERER_READY_CHANNEL } from '../../../shared/channel-names';
import { buildApi, reviveBridgedError } from '../../../electron/preload/api';
import { contextBridge, ipcRenderer, resetElectronStub } from '../../stubs/electron';

// No vi.resetModules(): a fresh module graph would also give the preload a fresh stub instance.
beforeEach(() => resetElectronStub());

const api = (): OutpostApi => buildApi(ipcRenderer);
const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => expect.unreachable('should reject'), (e: unknown) => e);

describe('preload entry', () => {
  it('exposes exactly one key, outpost, with only call and on, then signals ready', async () => {
    await import('../../../electron/preload/index');
    expect(Object.keys(contextBridge.exposed)).toEqual(['outpost']);
    expect(Object.keys(contextBridge.exposed['outpost'] as object).sort()).toEqual(['call', 'on']);
    expect(ipcRenderer.sentMessages).toEqual([{ channel: RENDERER_READY_CHANNEL, args: [] }]);
  });
});

describe('call', () => {
  it('invokes the contract channel with the request and returns data', async () => {
    ipcRenderer.invokeImpl = async () => ({ ok: true, data: [{ name: 'fsn1' }] });
    await expect(api().call('regions:list', {})).resolves.toEqual([{ name: 'fsn1' }]);
    expect(ipcRenderer.invocations).toEqual([{ channel: 'regions:list', args: [{}] }]);
  });

  it.each(['tokens:reveal', 'app:renderer-ready', 'outpost:event', '__proto__', 'constructor', ''])(
    'refuses the unknown channel %j without touching IPC',
    async (channel) => {
      const error = await caught(api().call(channel as Channel, {}));
      expect(error).toMatchObject({ code: 'not_found' });
      expect(ipcRenderer.invocations).toEqual([]);
    },
  );

  it('rejects with a plain, clonable error body that keeps code, message and hint', async () => {
    ipcRenderer.invokeImpl = async () => ({
      ok: false,
      error: { code: 'read_only', message: 'Support role.', hint: 'Ask an operator.', stack: 'leak', extra: { x: 1 } },
    });
    const error = await caught(api().call('instances:list', {}));
    // contextBridge keeps only the message of a real Error; a plain object crosses whole.
    expect(error).not.toBeInstanceOf(Error);
    expect(structuredClone(error)).toEqual({ name: 'OutpostError', code: 'read_only', message: 'Support role.', hint: 'Ask an operator.' });
    expect(reviveBridgedError(error)).toBe(true);
    const revived = OutpostError.fromBody(error as OutpostError);
    expect(revived).toMatchObject({ code: 'read_only', hint: 'Ask an operator.' });
  });

  it.each([undefined, null, 'ok', { ok: 'yes' }, { ok: false }, { ok: false, error: 'x' }])(
    'turns the malformed reply %j into internal',
    async (reply) => {
      ipcRenderer.invokeImpl = async () => reply;
      expect(await caught(api().call('app:info', {}))).toMatchObject({ code: 'internal' });
    },
  );

  it('maps an unknown error code to internal', async () => {
    ipcRenderer.invokeImpl = async () => ({ ok: false, error: { code: 'pwned', message: 'x' } });
    expect(await caught(api().call('app:info', {}))).toMatchObject({ code: 'internal', message: 'x' });
  });

  it('reports an invoke failure (uncloneable request) as invalid_input', async () => {
    ipcRenderer.invokeImpl = async () => {
      throw new Error('An object could not be cloned.');
    };
    expect(await caught(api().call('app:info', {}))).toMatchObject({ code: 'invalid_input' });
  });
});

describe('on', () => {
  it('delivers only the payload of the named event, and unsubscribes', () => {
    const outpost = api();
    const seen: unknown[] = [];
    const off = outpost.on('instance:changed', (payload) => seen.push(payload));
    const ipcEvent = { sender: 'ipcRenderer internals', senderId: 0 };
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'instance:changed', payload: { instance: { id: 'a' } } });
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'job:progress', payload: { jobId: 'j' } });
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, 'garbage');
    expect(seen).toEqual([{ instance: { id: 'a' } }]);
    off();
    off();
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'instance:changed', payload: { instance: { id: 'b' } } });
    expect(seen).toHaveLength(1);
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('shares one IPC listener between subscriptions', () => {
    const outpost = api();
    const offs = Array.from({ length: 20 }, () => outpost.on('job:progress', () => undefined));
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);
    offs.forEach((off) => off());
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('refuses unknown events and non-function listeners', () => {
    const outpost = api();
    expect(() => outpost.on('tokens:leaked' as 'job:progress', () => undefined)).toThrow();
    expect(() => outpost.on('job:progress', 'nope' as unknown as () => void)).toThrow();
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const outpost = api();
    const seen: string[] = [];
    const onError = vi.fn();
    process.on('uncaughtException', onError);
    outpost.on('instance:changed', () => {
      throw new Error('listener bug');
    });
    outpost.on('instance:changed', () => seen.push('second'));
    ipcRenderer.emit(EVENT_CHANNEL, {}, { event: 'instance:changed', payload: {} });
    expect(seen).toEqual(['second']);
    // The faulty listener's error is rethrown on its own (where devtools shows it), not swallowed.
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }), expect.anything()));
    process.off('uncaughtException', onError);
  });
});
