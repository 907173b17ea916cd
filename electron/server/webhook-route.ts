// POST /webhooks/payments: the payments webhook over HTTP. It lives outside browser mode's secret
// prefix (the sender cannot know a per-run secret) and skips the Host, Origin and Sec-Fetch checks,
// which protect the panel from pages in the operator's browser: a shop calls through a reverse
// proxy under a public name, and what authenticates it is the HMAC signature over the body, which
// no web page can forge. So it must be safe on its own: POST and application/json only, a small
// body limit, failures rate-limited per source, no CORS headers (a browser's preflight gets 405),
// and answers that never repeat the signature or the secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentWebhook } from '../core/payments/webhook/receive';
import { readLimitedBody } from './body';
import type { FailureLimit } from './failure-limit';

/** A payment event is well under 2 KiB; 64 KiB leaves room and keeps a flood cheap to refuse. */
export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;

const HEADERS: Record<string, string> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra });
  res.end(JSON.stringify(body));
}

const refusal = (code: string, message: string) => ({ ok: false, error: { code, message } });

/**
 * Answers a request for the webhook path. `webhook` undefined: not configured, and not there.
 * `source`: whom the failure limit counts against — the peer's address, or behind a trusted reverse
 * proxy the client it forwarded for (the team server's --trust-proxy).
 */
export async function serveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  webhook: PaymentWebhook | undefined,
  limit: FailureLimit,
  source: string = req.socket.remoteAddress ?? 'unknown',
): Promise<void> {
  if (!webhook) return send(res, 404, refusal('not_found', 'Not found.'));
  if (req.method !== 'POST') return send(res, 405, refusal('invalid_input', 'Use POST for the payments webhook.'), { Allow: 'POST' });
  const wait = limit.retryAfter(source);
  if (wait > 0) {
    res.setHeader('Connection', 'close');
    return send(res, 429, refusal('rate_limited', 'Too many refused deliveries from this address.'), { 'Retry-After': String(wait) });
  }
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    limit.fail(source);
    return send(res, 415, refusal('invalid_input', 'Send the event as application/json.'));
  }
  const body = await readLimitedBody(req, WEBHOOK_MAX_BODY_BYTES);
  if (body.kind === 'aborted') return void res.destroy();
  if (body.kind === 'too_large') {
    limit.fail(source);
    res.setHeader('Connection', 'close');
    return send(res, 413, refusal('invalid_input', `The event is larger than ${WEBHOOK_MAX_BODY_BYTES / 1024} KiB.`));
  }
  const header = req.headers['outpost-signature'];
  const answer = await webhook.receive({ rawBody: body.text, signature: typeof header === 'string' ? header : undefined });
  if (answer.status === 401 || answer.status === 400) limit.fail(source);
  send(res, answer.status, answer.body, answer.retryAfter === undefined ? {} : { 'Retry-After': String(answer.retryAfter) });
}
