// window.outpost, built from the contract (anchors §3.2). Only two functions cross the bridge:
// `call` for the contract's channels and `on` for its events. No raw ipcRenderer, no event objects.
//
// Errors: contextBridge re-creates a thrown or rejected Error in the page with its message only
// (electron/electron shell/renderer/api/electron_api_context_bridge.cc, "Errors aren't serializable"),
// so an OutpostError's code and hint would vanish on the way. `call` therefore rejects with a plain
// ErrorBody-shaped object, which the bridge copies whole; the renderer revives it with
// OutpostError.fromBody (see reviveBridgedError below for the exact check).
//
// Names come from shared/channel-names.ts, the contract only as types: its zod schemas would make
// this sandboxed bundle ten times larger (test/unit/preload/bundle-size.test.ts).
import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES } from '../../shared/channel-names';
import type { Channel, EventName, OutpostApi, Req, Res } from '../../shared/contract';
import { isBridgedError, isErrorCode, type ErrorBody } from '../../shared/errors';

/** The slice of ipcRenderer the API uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** What `call` rejects with: an ErrorBody plus a name, all plain data. */
export type BridgedError = ErrorBody & { name: 'OutpostError' };

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const EVENT_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Copies only the known string fields, so nothing unexpected from main reaches the page. */
export function toBridgedError(body: Readonly<Record<string, unknown>>): BridgedError {
  const code = body['code'];
  const message = body['message'];
  const out: BridgedError = {
    name: 'OutpostError',
    code: isErrorCode(code) ? code : 'internal',
    message: typeof message === 'string' ? message : 'Outpost hit an internal error.',
  };
  for (const key of ['hint', 'apiCode', 'step'] as const) {
    const value = body[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** For the renderer side: true when a rejection came from `call` (and can go to OutpostError.fromBody). */
export const reviveBridgedError = isBridgedError;

function unwrap(result: unknown): unknown {
  if (isObject(result) && result['ok'] === true && 'data' in result) return result['data'];
  if (isObject(result) && result['ok'] === false && isObject(result['error'])) {
    throw toBridgedError(result['error']);
  }
  throw toBridgedError({ code: 'internal', message: 'The main process sent a malformed reply.' });
}

export function buildApi(ipc: IpcRendererLike): OutpostApi {
  type Entry = { event: EventName; listener: (payload: unknown) => void };
  const subscribers = new Set<Entry>();
  let attached = false;

  // One ipcRenderer listener for every subscription, so many `on` calls never hit MaxListeners.
  const onMessage = (_event: unknown, message: unknown): void => {
    if (!isObject(message) || typeof message['event'] !== 'string' || !EVENT_SET.has(message['event'])) return;
    for (const entry of [...subscribers]) {
      if (entry.event !== message['event']) continue;
      try {
        entry.listener(message['payload']);
      } catch (err) {
        // One faulty listener must not starve the others; rethrow where devtools will show it.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  };

  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      if (typeof channel !== 'string' || !CHANNEL_SET.has(channel)) {
        throw toBridgedError({ code: 'not_found', message: `Unknown channel "${String(channel).slice(0, 64)}".` });
      }
      let result: unknown;
      try {
        result = await ipc.invoke(channel, request);
      } catch {
        // invoke rejects when the request cannot be cloned or main has no handler; neither has a useful message.
        throw toBridgedError({ code: 'invalid_input', message: `${channel}: the request could not be sent.` });
      }
      return unwrap(result) as Res<C>;
    },

    on(event, listener) {
      if (typeof event !== 'string' || !EVENT_SET.has(event)) {
        throw toBridgedError({ code: 'not_found', message: `Unknown event "${String(event).slice(0, 64)}".` });
      }
      if (typeof listener !== 'function') throw toBridgedError({ code: 'invalid_input', message: 'listener must be a function' });
      const entry: Entry = { event, listener: listener as (payload: unknown) => void };
      subscribers.add(entry);
      if (!attached) {
        ipc.on(EVENT_CHANNEL, onMessage);
        attached = true;
      }
      return () => {
        subscribers.delete(entry);
        if (subscribers.size === 0 && attached) {
          ipc.removeListener(EVENT_CHANNEL, onMessage);
          attached = false;
        }
      };
    },
  };
}
