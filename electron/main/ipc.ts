// IPC registration (anchors §3.2, §4 item 17): one ipcMain.handle per contract channel, each one
// checking the sender frame before anything else, then the shared dispatch (parse -> call -> envelope).
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { dispatch, type Handlers } from '../core/dispatch';
import type { Logger } from '../core/log';
import { RENDERER_READY_CHANNEL } from '../../shared/channel-names';
import type { SenderCheck, SenderFrame } from './origin';

/** The slice of Electron's ipcMain this module uses; the tests pass a recording fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
}

/** Told when a trusted page has exposed window.outpost (the event bridge). */
export interface RendererReadyListener {
  rendererReady(sender: WebContents): void;
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This caller may not use the Outpost API.' },
};

// Reading senderFrame can throw once the frame is gone; treat that as "no frame".
const frameOf = (event: IpcMainEvent | IpcMainInvokeEvent): SenderFrame | null => {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
};

/** Where a refused call came from, without query strings (which may carry secrets). */
const describe = (frame: SenderFrame | null): string => {
  if (!frame) return '<no frame>';
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}${frame.parent === null ? '' : ' (subframe)'}`;
  } catch {
    return '<unparsable url>';
  }
};

/** Registers every channel; returns a function that removes them all again. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  isTrustedSender: SenderCheck,
  log: Logger,
  bridge?: RendererReadyListener,
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
      const frame = frameOf(event);
      if (!isTrustedSender(frame)) {
        log.warn('refused IPC call from an untrusted sender', { channel, sender: describe(frame) });
        return FORBIDDEN;
      }
      // The preload sends exactly one argument; extra ones mean someone else is calling.
      if (args.length > 1) {
        return { ok: false, error: { code: 'invalid_input', message: `${channel}: expected one request argument.` } };
      }
      try {
        return await dispatch(handlers, channel, args[0], { transport: 'ipc' }, log);
      } catch {
        // dispatch already catches handler errors; this is for a failure in dispatch itself.
        return { ok: false, error: { code: 'internal', message: 'Outpost hit an internal error.' } };
      }
    });
  }

  const onReady = (event: IpcMainEvent): void => {
    const frame = frameOf(event);
    if (!isTrustedSender(frame)) {
      log.warn('ignored renderer-ready from an untrusted sender', { sender: describe(frame) });
      return;
    }
    bridge?.rendererReady(event.sender);
  };
  ipcMain.on(RENDERER_READY_CHANNEL, onReady);

  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
    ipcMain.removeListener(RENDERER_READY_CHANNEL, onReady);
  };
}
