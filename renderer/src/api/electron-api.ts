// window.outpost as the renderer uses it: rejections from the preload are plain ErrorBody objects
// (contextBridge strips Error fields), turned back into OutpostError here so every transport
// throws the same class.
import type { OutpostApi } from '../../../shared/contract';
import { isBridgedError, OutpostError } from '../../../shared/errors';

export function electronApi(bridge: OutpostApi): OutpostApi {
  return {
    call: (channel, request) =>
      bridge.call(channel, request).catch((reason: unknown) => {
        throw isBridgedError(reason) ? OutpostError.fromBody(reason) : reason;
      }),
    on: (event, listener) => bridge.on(event, listener),
  };
}
