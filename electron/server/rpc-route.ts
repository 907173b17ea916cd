// POST rpc/<channel>: one call of the contract over HTTP, for browser mode and the team server alike.
// Whoever is calling has been established by the server before this runs; here the request becomes
// the envelope through the one dispatch every transport uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from '../../shared/errors';
import { dispatch, type CallContext, type Handlers } from '../core/dispatch';
import type { Logger } from '../core/log';
import { readJsonRequest } from './json-request';
import { envelope, sendJson } from './respond';

/** `encoded`: the path after `rpc/`, percent-encoded as sent. `adjust`: a last look at the answer (the team server's app:info). */
export async function serveRpc(
  req: IncomingMessage,
  res: ServerResponse,
  encoded: string,
  call: { handlers: Handlers; ctx: CallContext; log: Logger; adjust?: (channel: string, result: Result<unknown>) => Result<unknown> },
): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, envelope('invalid_input', 'Use POST for rpc calls.'), { Allow: 'POST' });
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendJson(res, 415, envelope('invalid_input', 'Send the request as application/json.'));
  }
  const channel = decodeChannel(encoded);
  if (channel === null) {
    return sendJson(res, 400, envelope('invalid_input', 'The channel in the rpc path is not valid percent-encoding.', 'Call rpc/<channel>, e.g. rpc/app:info.'));
  }
  const body = await readJsonRequest(req, res);
  if (!body) return;
  const result = await dispatch(call.handlers, channel, body.value, call.ctx, call.log);
  sendJson(res, 200, call.adjust ? call.adjust(channel, result) : result);
}

function decodeChannel(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null; // URIError: malformed percent-encoding is the caller's mistake, not ours
  }
}
