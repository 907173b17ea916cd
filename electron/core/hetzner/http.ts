// The one HTTP path to Hetzner: Bearer auth, JSON, the shared RateBudget, per-request deadline,
// typed errors, and the retry policy of reference §9 (the hcloud-go v2 rules), except that a
// request marked non-idempotent (POST /servers) is never repeated after an ambiguous failure.
// Waits on purpose (the rate budget, a backoff) are announced through reportWait, so a job's
// timeline can say "waiting for Hetzner's rate limit" instead of looking hung.
import { OutpostError } from '../../../shared/errors';
import { registerSecret, silentLogger, type Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  fetchAttempt,
  realSleep,
  TransportError,
  tryParseJson,
  type BackoffPolicy,
  type FetchLike,
  type SleepFn,
} from '../http/fetch';
import { AmbiguousCreateError, HetznerError, type HetznerErrorInit } from './errors';
import { RateBudget, readRateLimitHeaders } from './rate-budget';
import { reportWait } from '../wait-report';
import type { Priority } from './types';

export const HETZNER_BASE_URL = 'https://api.hetzner.cloud/v1';

/** API codes worth another attempt (reference §9). */
const RETRY_CODES = new Set(['conflict', 'rate_limit_exceeded', 'limit_reached', 'bad_gateway', 'timeout']);

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Scheduling class; default: GET → 'sync', anything else → 'mutation'. */
  priority?: Priority;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  /** False for requests that must not be repeated blindly (POST /servers). Default: not POST. */
  idempotent?: boolean;
}

/** One attempt as seen by observers (benchmarks, tests, metrics). Never holds headers or bodies. */
export interface RequestEvent {
  method: string;
  path: string;
  /** Query string without the leading '?', e.g. `id=1&id=2`. */
  query: string;
  priority: Priority;
  attempt: number;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  apiCode?: string | undefined;
  outcome: 'ok' | 'retry' | 'error';
  startedAt: number;
  durationMs: number;
}

export interface HetznerHttpOptions {
  token: string;
  baseUrl?: string;
  fetch?: FetchLike;
  /** Per-attempt deadline. Default 30 s. */
  timeoutMs?: number;
  budget?: RateBudget;
  backoff?: Partial<BackoffPolicy>;
  sleep?: SleepFn;
  random?: () => number;
  clock?: Clock;
  logger?: Logger;
  onRequest?: (event: RequestEvent) => void;
  userAgent?: string;
  /**
   * Also retry a 503 (`unavailable`, or a bare 503) on an idempotent request. Off by default, as in
   * hcloud-go; the app's clients turn it on, since a single 503 should not fail a provision. A
   * non-idempotent POST is never repeated here (ServersApi.ensureServer looks up, then re-POSTs).
   */
  retryUnavailable?: boolean;
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as (string | number)[]) params.append(key, String(v));
    else params.append(key, String(value));
  }
  return params.toString();
}

interface Failure {
  init: HetznerErrorInit;
  retryable: boolean;
  /** The request may have had an effect (no answer, 5xx, unreadable success). */
  ambiguous: boolean;
}

export class HetznerHttp {
  readonly budget: RateBudget;
  readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: SleepFn;
  private readonly random: () => number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly observers: ((event: RequestEvent) => void)[] = [];
  private readonly userAgent: string;
  private readonly retryUnavailable: boolean;

  constructor(options: HetznerHttpOptions) {
    this.token = options.token;
    registerSecret(options.token); // any log line that ever quotes it is masked
    this.baseUrl = (options.baseUrl ?? HETZNER_BASE_URL).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.budget = options.budget ?? new RateBudget({ clock: this.clock, sleep: this.sleep });
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    if (options.onRequest) this.observers.push(options.onRequest);
    this.userAgent = options.userAgent ?? 'outpost';
    this.retryUnavailable = options.retryUnavailable === true;
  }

  /** The wait before retry number `retry` (0-based), by this client's backoff policy. */
  retryDelay(retry: number): number {
    return backoffDelay(retry, this.backoff, this.random);
  }

  /** Adds an observer of every attempt; returns its removal. */
  onRequest(observer: (event: RequestEvent) => void): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  get<T>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const priority = options.priority ?? (method === 'GET' ? 'sync' : 'mutation');
    const idempotent = options.idempotent ?? method !== 'POST';
    const query = buildQuery(options.query);
    const url = `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);

    for (let attempt = 1; ; attempt++) {
      const ahead = this.budget.delayFor(priority);
      if (ahead >= 1000) reportWait({ cloud: 'hetzner', reason: 'rate_limit', delayMs: ahead });
      try {
        await this.budget.acquire(priority, options.signal);
      } catch (err) {
        throw err instanceof OutpostError ? err : new OutpostError('cancelled', 'request cancelled');
      }
      const startedAt = this.clock.now();
      const event = (status: number, outcome: RequestEvent['outcome'], apiCode?: string): void => {
        const e: RequestEvent = { method, path, query, priority, attempt, status, apiCode, outcome, startedAt, durationMs: this.clock.now() - startedAt };
        for (const observer of this.observers) observer(e);
      };

      let failure: Failure;
      try {
        const { response, text } = await fetchAttempt(this.fetchImpl, url, init, {
          timeoutMs: options.timeoutMs ?? this.timeoutMs,
          signal: options.signal,
        });
        this.budget.settle(readRateLimitHeaders(response.headers));
        const correlationId = response.headers.get('x-correlation-id') ?? undefined;
        const parsed = tryParseJson(text);
        if (response.ok) {
          if (parsed.ok) {
            event(response.status, 'ok');
            return parsed.value as T;
          }
          // A truncated or garbled success: re-reading is harmless for a GET only.
          failure = {
            init: { status: response.status, apiCode: 'malformed_response', message: 'unreadable JSON in a successful response', correlationId, method, path, attempts: attempt, code: 'cloud_error' },
            retryable: method === 'GET',
            ambiguous: true,
          };
        } else {
          failure = this.errorFailure(response.status, parsed, correlationId, method, path, attempt);
        }
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        this.budget.settle();
        if (err.kind === 'aborted') {
          event(0, 'error', 'cancelled');
          throw new OutpostError('cancelled', `${method} ${path} cancelled`);
        }
        failure = {
          init: {
            status: 0,
            apiCode: err.kind === 'timeout' ? 'request_timeout' : 'network_error',
            message: err.message,
            method,
            path,
            attempts: attempt,
            code: err.kind === 'timeout' ? 'timeout' : 'unavailable',
          },
          retryable: true,
          ambiguous: true,
        };
      }

      // A 503 says "not now": repeating a request that changes nothing twice is harmless.
      if (this.retryUnavailable && idempotent && failure.init.status === 503) failure.retryable = true;
      if (!idempotent && failure.ambiguous) {
        event(failure.init.status, 'error', failure.init.apiCode);
        this.logger.warn('hetzner: ambiguous failure of a non-idempotent request', { method, path, apiCode: failure.init.apiCode });
        throw new AmbiguousCreateError(failure.init, failure.init.apiCode);
      }
      if (!failure.retryable || attempt > this.backoff.maxRetries) {
        event(failure.init.status, 'error', failure.init.apiCode);
        throw new HetznerError(failure.init);
      }
      event(failure.init.status, 'retry', failure.init.apiCode);
      const delay = backoffDelay(attempt - 1, this.backoff, this.random);
      reportWait({ cloud: 'hetzner', reason: waitReason(failure.init), delayMs: delay, apiCode: failure.init.apiCode });
      this.logger.debug('hetzner: retrying', { method, path, apiCode: failure.init.apiCode, attempt, delayMs: Math.round(delay) });
      try {
        await this.sleep(delay, options.signal);
      } catch {
        throw new OutpostError('cancelled', `${method} ${path} cancelled`);
      }
    }
  }

  private errorFailure(
    status: number,
    parsed: ReturnType<typeof tryParseJson>,
    correlationId: string | undefined,
    method: string,
    path: string,
    attempts: number,
  ): Failure {
    const envelope = parsed.ok ? (parsed.value as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null) : null;
    const apiError = envelope && typeof envelope === 'object' ? envelope.error : undefined;
    if (apiError && typeof apiError.code === 'string') {
      const apiCode = apiError.code;
      return {
        init: {
          status,
          apiCode,
          message: typeof apiError.message === 'string' ? apiError.message : `HTTP ${status}`,
          details: apiError.details ?? null,
          correlationId,
          method,
          path,
          attempts,
        },
        retryable: RETRY_CODES.has(apiCode),
        // A coded 4xx refusal did nothing; a 5xx (or a gateway code) may have done something —
        // except `unavailable`, the API's explicit "this service/product cannot be had now".
        // (conflict and rate_limit_exceeded are 4xx refusals: safe to repeat even for a create.)
        ambiguous: (status >= 500 && apiCode !== 'unavailable') || apiCode === 'bad_gateway' || apiCode === 'timeout',
      };
    }
    // No JSON error body: a proxy answered. 502/504 are the gateway's way of saying "try again".
    return {
      init: { status, apiCode: `http_${status}`, message: `server responded with status code ${status}`, correlationId, method, path, attempts },
      retryable: status === 502 || status === 504,
      ambiguous: status >= 500,
    };
  }
}

function waitReason(init: HetznerErrorInit): 'rate_limit' | 'unavailable' | 'retry' {
  if (init.status === 429 || init.apiCode === 'rate_limit_exceeded' || init.apiCode === 'limit_reached') return 'rate_limit';
  return init.status === 503 ? 'unavailable' : 'retry';
}
