// A POST's JSON body, read the same way by every API route of the panel's servers: only
// application/json (a plain HTML form, which can post cross-site without asking, cannot send it), at
// most 1 MiB, and valid JSON. Anything else is answered here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLimitedBody } from './body';
import { envelope, refuseTooLarge, sendJson } from './respond';

/** The parsed body (an empty body reads as {}), or null when the request was already answered. */
export async function readJsonRequest(req: IncomingMessage, res: ServerResponse): Promise<{ value: unknown } | null> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    sendJson(res, 415, envelope('invalid_input', 'Send the request as application/json.'));
    return null;
  }
  const body = await readLimitedBody(req);
  if (body.kind === 'aborted') {
    res.destroy();
    return null;
  }
  if (body.kind === 'too_large') {
    refuseTooLarge(res);
    return null;
  }
  try {
    return { value: body.text.length === 0 ? {} : (JSON.parse(body.text) as unknown) };
  } catch {
    sendJson(res, 400, envelope('invalid_input', 'The request body is not valid JSON.'));
    return null;
  }
}
