import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import type { Handlers } from '../../../electron/core/dispatch';
import type { Logger } from '../../../electron/core/log';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc';
import { RENDERER_READY_CHANNEL } from '../../../shared/channel-names';
import { createSenderCheck } from '../../../electron/main/origin';
import { FakeWebContents, ipcMain, resetElectronStub } from '../../stubs/electron';

const APP_FRAME = { url: 'app://outpost/index.html', parent: null };
const invokeEvent = (senderFrame: unknown, sender: unknown = new FakeWebContents()) => ({ senderFrame, sender });

const info = {
  name: 'Outpost' as const,
  version: '1.0.0',
  mode: 'sandbox' as const,
  role: 'operator' as const,
  dataDir: '/data',
  transport: 'ipc' as const,
  notices: [] as string[],
  liveUnavailable: null,
  simTimeScale: null,
  runtime: { electron: '45.5.0', chromium: '140.0.7339.41', node: '22.0.0', os: 'Linux 6.1.0 x64' },
  canOpenDataDir: true,
  canRestart: true,
};

function setup() {
  const calls: { channel: string; req: unknown; transport: string }[] = [];
  // Every channel gets a handler that fails loudly, so the contract can grow without this test changing;
  // the three below are the ones exercised.
  const unexpected = Object.fromEntries(
    CHANNELS.map((c) => [c, async () => expect.unreachable(`unexpected call to ${c}`)]),
  ) as unknown as Handlers;
  const overrides: Partial<Handlers> = {
    'app:info': async (req, ctx) => {
      calls.push({ channel: 'app:info', req, transport: ctx.transport });
      return info;
    },
    'regions:list': async () => {
      throw new Error('boom: db at /secret/path exploded\n    at stack frame');
    },
    'instances:list': async (req, ctx) => {
      calls.push({ channel: 'instances:list', req, transport: ctx.transport });
      if (req.search === 'gone') throw new OutpostError('not_found', 'No such instance.', { hint: 'Refresh.' });
      return [];
    },
  };
  const handlers: Handlers = { ...unexpected, ...overrides };
  const log: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const bridge = { rendererReady: vi.fn() };
  const unregister = registerIpc(ipcMain as unknown as IpcMainLike, handlers, createSenderCheck(null), log, bridge);
  return { calls, log, bridge, unregister };
}

beforeEach(() => resetElectronStub());

describe('registerIpc', () => {
  it('registers exactly one handler per contract channel, and removes them again', () => {
    const { unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(ipcMain.listenerCount(RENDERER_READY_CHANNEL)).toBe(1);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listenerCount(RENDERER_READY_CHANNEL)).toBe(0);
  });

  it('calls the service for a trusted sender and returns the envelope', async () => {
    const { calls } = setup();
    await expect(ipcMain.invoke('app:info', invokeEvent(APP_FRAME), {})).resolves.toEqual({ ok: true, data: info });
    await expect(ipcMain.invoke('instances:list', invokeEvent(APP_FRAME), { search: 'web' })).resolves.toEqual({
      ok: true,
      data: [],
    });
    expect(calls).toEqual([
      { channel: 'app:info', req: {}, transport: 'ipc' },
      { channel: 'instances:list', req: { search: 'web' }, transport: 'ipc' },
    ]);
  });

  it.each([
    ['no frame', null],
    ['a foreign https origin', { url: 'https://evil.com/', parent: null }],
    ['a look-alike app host', { url: 'app://outpost.evil/index.html', parent: null }],
    ['a file page', { url: 'file:///tmp/index.html', parent: null }],
    ['an app subframe', { url: 'app://outpost/index.html', parent: APP_FRAME }],
  ])('refuses %s with forbidden, without calling the service, and logs it', async (_name, frame) => {
    const { calls, log } = setup();
    const reply = await ipcMain.invoke('app:info', invokeEvent(frame), {});
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    expect(calls).toEqual([]);
    expect(log.warn).toHaveBeenCalledWith('refused IPC call from an untrusted sender', expect.objectContaining({ channel: 'app:info' }));
  });

  it('refuses a frame whose senderFrame getter throws (disposed frame)', async () => {
    const { calls } = setup();
    const event = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(await ipcMain.invoke('app:info', event, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('rejects invalid input with invalid_input and does not call the service', async () => {
    const { calls } = setup();
    const reply = await ipcMain.invoke('instances:list', invokeEvent(APP_FRAME), { search: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const extra = await ipcMain.invoke('app:info', invokeEvent(APP_FRAME), { unexpected: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const twoArgs = await ipcMain.invoke('app:info', invokeEvent(APP_FRAME), {}, {});
    expect(twoArgs).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(calls).toEqual([]);
  });

  it('passes an OutpostError through as its body', async () => {
    setup();
    const reply = await ipcMain.invoke('instances:list', invokeEvent(APP_FRAME), { search: 'gone' });
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'No such instance.', hint: 'Refresh.' } });
  });

  it('turns a plain Error into a generic internal error, without message or stack', async () => {
    const { log } = setup();
    const reply = (await ipcMain.invoke('regions:list', invokeEvent(APP_FRAME), {})) as { ok: false; error: Record<string, unknown> };
    expect(reply.ok).toBe(false);
    expect(reply.error['code']).toBe('internal');
    expect(JSON.stringify(reply)).not.toMatch(/boom|secret|stack|at /);
    expect(log.error).toHaveBeenCalled();
  });

  it('flushes the event bridge only for a trusted renderer-ready', () => {
    const { bridge, log } = setup();
    const trusted = new FakeWebContents();
    ipcMain.emit(RENDERER_READY_CHANNEL, invokeEvent({ url: 'https://evil.com/', parent: null }, new FakeWebContents()));
    ipcMain.emit(RENDERER_READY_CHANNEL, invokeEvent(null, new FakeWebContents()));
    expect(bridge.rendererReady).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledTimes(2);
    ipcMain.emit(RENDERER_READY_CHANNEL, invokeEvent(APP_FRAME, trusted));
    expect(bridge.rendererReady).toHaveBeenCalledExactlyOnceWith(trusted as unknown as WebContents);
  });
});
