// The low-level pieces both cloud clients share: one fetch attempt with a deadline, cancellable
// sleeps and the jittered backoff. Each client keeps its own http module on top of this (auth,
// error shapes and retry rules differ per cloud); only what is truly common lives here.

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Why an attempt produced no HTTP response. `aborted` is the caller's own cancellation. */
export type TransportFailure = 'timeout' | 'network' | 'aborted';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface AttemptOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface AttemptResult {
  response: Response;
  /** The body as text, read under the same deadline (a hang mid-body is a timeout too). */
  text: string;
}

/**
 * One HTTP exchange with a per-request deadline. The caller's signal and the deadline are merged;
 * which of them fired decides the failure kind, so a caller's cancel is never retried as a timeout.
 * The error message never includes request headers (they carry tokens).
 */
export async function fetchAttempt(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  options: AttemptOptions,
): Promise<AttemptResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const onCallerAbort = (): void => deadline.abort();
  if (options.signal?.aborted) {
    clearTimeout(timer);
    throw new TransportError('aborted', 'request cancelled');
  }
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const response = await fetchImpl(url, { ...init, signal: deadline.signal });
    const text = await response.text();
    return { response, text };
  } catch (err) {
    if (options.signal?.aborted) throw new TransportError('aborted', 'request cancelled');
    if (deadline.signal.aborted) throw new TransportError('timeout', `no answer within ${options.timeoutMs} ms`);
    // fetch wraps socket errors (ECONNRESET, ECONNREFUSED, "other side closed") in a TypeError
    // whose `cause` names the system error; keep only that code, never the request.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new TransportError('network', `network error: ${detail}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** setTimeout as a promise that rejects with TransportError('aborted') when the signal fires. */
export const realSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError('aborted', 'cancelled'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new TransportError('aborted', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  maxRetries: number;
}

/** The hcloud-go v2 / hcloud-python 2 policy (reference §9): base 1 s, cap 60 s, 5 retries. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000, maxRetries: 5 };

/**
 * Wait before retry number `retry` (0-based): uniform in [base, min(cap, base·2^retry)], i.e.
 * 1, 1–2, 1–4, 1–8, 1–16 s. Full-range jitter spreads a fleet's retries after a shared outage.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const upper = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return policy.baseMs + random() * Math.max(0, upper - policy.baseMs);
}

/** Parses JSON or returns undefined: a malformed body is a signal, not a crash. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
