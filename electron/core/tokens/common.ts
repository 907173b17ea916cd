// What both token checks share: options, the host shown in messages, and the scrubbing that keeps
// a credential out of every message even if a server or a library quoted it back.
import type { FetchLike, SleepFn } from '../http/fetch';
import { type Clock, systemClock } from '../ports';
import { redactString } from '../redact';

export interface CheckOptions {
  fetch?: FetchLike;
  /** Per-request deadline; a check is interactive, so shorter than the clients' 30 s. Default 10 s. */
  timeoutMs?: number;
  /** Retries of transient failures (network, 5xx, 429). Default 1: the operator is waiting. */
  retries?: number;
  sleep?: SleepFn;
  clock?: Clock;
  signal?: AbortSignal;
}

export const CHECK_TIMEOUT_MS = 10_000;
export const checkBackoff = (opts: CheckOptions) => ({ maxRetries: opts.retries ?? 1, baseMs: 500, capMs: 2_000 });
/** The transport options of a check's one-off client: short deadline, one retry, the test seams. */
export const checkTransport = (baseUrl: string, opts: CheckOptions) => ({
  baseUrl,
  timeoutMs: opts.timeoutMs ?? CHECK_TIMEOUT_MS,
  backoff: checkBackoff(opts),
  ...(opts.fetch ? { fetch: opts.fetch } : {}),
  ...(opts.sleep ? { sleep: opts.sleep } : {}),
  ...(opts.clock ? { clock: opts.clock } : {}),
});
export const checkedAt = (opts: CheckOptions): string => new Date((opts.clock ?? systemClock).now()).toISOString();

/** `api.hetzner.cloud` for messages: never the path, query or userinfo of a configured URL. */
export function hostOf(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).host;
  } catch {
    return null;
  }
}

/** Visible ASCII; anything else cannot be a token and must not reach an HTTP header. */
export const looksLikeToken = (value: string): boolean => /^[\x21-\x7e]{1,512}$/.test(value);

/** Removes the given secrets (whether or not registered) and anything the redactor recognises. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return redactString(out);
}
