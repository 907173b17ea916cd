import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import { EventBridge } from '../../../electron/main/event-bridge';
import { EVENT_CHANNEL } from '../../../shared/channel-names';
import { FakeWebContents, resetElectronStub } from '../../stubs/electron';

const instance = (id: string) => ({ instance: { id } }) as unknown as EventPayload<'instance:changed'>;
const ids = (contents: FakeWebContents) =>
  contents.sent.map(({ channel, args }) => {
    expect(channel).toBe(EVENT_CHANNEL);
    const message = args[0] as { event: string; payload: { instance: { id: string } } };
    return `${message.event}:${message.payload.instance.id}`;
  });

function setup(maxQueue?: number) {
  const contents = new FakeWebContents();
  const log = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const bridge = new EventBridge({ log, ...(maxQueue !== undefined ? { maxQueue } : {}) });
  bridge.attach(contents as unknown as WebContents);
  const ready = () => bridge.rendererReady(contents as unknown as WebContents);
  return { contents, bridge, ready, log };
}

beforeEach(() => resetElectronStub());

describe('EventBridge', () => {
  it('queues until the renderer is ready, then flushes in order', () => {
    const { contents, bridge, ready } = setup();
    bridge.emit('instance:changed', instance('a'));
    bridge.emit('instance:changed', instance('b'));
    expect(contents.sent).toEqual([]);
    expect(bridge.queued).toBe(2);
    ready();
    bridge.emit('instance:changed', instance('c'));
    expect(ids(contents)).toEqual(['instance:changed:a', 'instance:changed:b', 'instance:changed:c']);
    expect(bridge.queued).toBe(0);
  });

  it('ignores a ready signal from other web contents', () => {
    const { contents, bridge } = setup();
    bridge.emit('instance:changed', instance('a'));
    bridge.rendererReady(new FakeWebContents() as unknown as WebContents);
    expect(contents.sent).toEqual([]);
    expect(bridge.isReady).toBe(false);
  });

  it('re-queues across a reload until the new page is ready', () => {
    const { contents, bridge, ready } = setup();
    ready();
    bridge.emit('instance:changed', instance('a'));
    contents.emit('did-start-loading');
    bridge.emit('instance:changed', instance('b'));
    expect(ids(contents)).toEqual(['instance:changed:a']);
    ready();
    expect(ids(contents)).toEqual(['instance:changed:a', 'instance:changed:b']);
  });

  it('keeps events when a send fails, and delivers them after the next ready', () => {
    const { contents, bridge, ready } = setup();
    ready();
    const send = vi.spyOn(contents, 'send').mockImplementationOnce(() => {
      throw new Error('Render frame was disposed');
    });
    bridge.emit('instance:changed', instance('a'));
    expect(bridge.isReady).toBe(false);
    send.mockRestore();
    ready();
    expect(ids(contents)).toEqual(['instance:changed:a']);
  });

  it('is bounded: drops the oldest, counts the drops and warns', () => {
    const { contents, bridge, ready, log } = setup(3);
    for (const id of ['1', '2', '3', '4', '5']) bridge.emit('instance:changed', instance(id));
    expect(bridge.queued).toBe(3);
    expect(bridge.dropped).toBe(2);
    expect(log.warn).toHaveBeenCalledTimes(1);
    ready();
    expect(ids(contents)).toEqual(['instance:changed:3', 'instance:changed:4', 'instance:changed:5']);
  });

  it('stops sending to destroyed contents and holds events instead', () => {
    const { contents, bridge, ready } = setup();
    ready();
    contents.destroyed = true;
    contents.emit('destroyed');
    bridge.emit('instance:changed', instance('a'));
    expect(contents.sent).toEqual([]);
    expect(bridge.queued).toBe(1);
  });
});
