// How long browser mode waits for a client. Node's defaults (60 s for headers, 5 min for a request)
// let a slow client hold a connection for minutes; the panel sends small requests from this
// machine, so anything slower is broken or hostile. The event stream is unaffected: these count
// only while the request arrives, not while the response streams.
import type { ServerOptions } from 'node:http';
import { OutpostError } from '../../shared/errors';

export interface WebServerTimeouts {
  /** The request line and every header must have arrived within this. */
  headersMs: number;
  /** The whole request, body included, must have arrived within this. */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: WebServerTimeouts = { headersMs: 10_000, requestMs: 30_000 };

/** The options for `http.createServer`, after checking the values make sense together. */
export function serverTimeouts(t: WebServerTimeouts): ServerOptions {
  for (const field of ['headersMs', 'requestMs'] as const) {
    if (!Number.isInteger(t[field]) || t[field] <= 0) {
      throw new OutpostError('invalid_input', `timeouts.${field} must be a whole number of milliseconds above 0 (got ${String(t[field])}).`, {
        hint: `Leave it out for the default of ${DEFAULT_TIMEOUTS[field]} ms.`,
      });
    }
  }
  if (t.headersMs > t.requestMs) {
    throw new OutpostError('invalid_input', `timeouts.headersMs (${t.headersMs}) cannot exceed timeouts.requestMs (${t.requestMs}).`, {
      hint: 'The headers are part of the request: give the request at least as long.',
    });
  }
  return {
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
    // Node enforces both only when it sweeps its connections (every 30 s by default), which would
    // let a slow client stay three times longer than the limit says. A tenth of it keeps it honest.
    connectionsCheckingInterval: Math.max(5, Math.min(1_000, Math.floor(t.headersMs / 10))),
  };
}
