// The one HTTP path to Tailscale API v2. Auth comes from a TokenSource (OAuth client credentials or
// a static API token); a 401 invalidates that exact token and the call is retried once with a fresh
// one. Transient failures (429, 5xx, network, deadline) are retried with the same jittered backoff
// as Hetzner for idempotent calls; a POST (key creation) is retried only after a 429 refusal.
import { silentLogger, type Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import { OutpostError } from '../../../shared/errors';
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
import { TailscaleError } from './errors';
import { reportWait } from '../wait-report';

export const TAILSCALE_BASE_URL = 'https://api.tailscale.com';

/** Supplies the Bearer token; invalidate(token) drops exactly that token if it is still cached. */
export interface TokenSource {
  token(): Promise<string>;
  invalidate(token: string): void;
}

export type TsQuery = Record<string, string | number | boolean | undefined | readonly string[]>;

export interface TsRequestEvent {
  method: string;
  path: string;
  query: string;
  attempt: number;
  status: number;
  outcome: 'ok' | 'retry' | 'error';
  startedAt: number;
  durationMs: number;
}

export interface TransportOptions {
  /** Origin, e.g. https://api.tailscale.com or the simulator's `tailscaleUrl`; `/api/v2` is appended. */
  baseUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  sleep?: SleepFn;
  random?: () => number;
  clock?: Clock;
  logger?: Logger;
  onRequest?: (event: TsRequestEvent) => void;
}

export interface SendOptions {
  query?: TsQuery;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Default: every method but POST. */
  idempotent?: boolean;
}

export interface SendResult {
  status: number;
  /** Parsed JSON, or undefined for an empty body (DELETE answers 200 with nothing). */
  body: unknown;
}

function buildQuery(query: TsQuery | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  return params.toString();
}

/** Retrying transport without auth logic; shared by the OAuth token source and the API client. */
export class TailscaleTransport {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: SleepFn;
  private readonly random: () => number;
  readonly clock: Clock;
  readonly logger: Logger;
  private readonly observers: ((e: TsRequestEvent) => void)[] = [];

  constructor(options: TransportOptions = {}) {
    this.baseUrl = `${(options.baseUrl ?? TAILSCALE_BASE_URL).replace(/\/+$/, '')}/api/v2`;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    if (options.onRequest) this.observers.push(options.onRequest);
  }

  onRequest(observer: (e: TsRequestEvent) => void): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** Sends with retries; throws TailscaleError for any non-2xx left after them (401 included). */
  async send(method: string, path: string, options: SendOptions = {}): Promise<SendResult> {
    const idempotent = options.idempotent ?? method !== 'POST';
    const query = buildQuery(options.query);
    const url = `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    const init: RequestInit = { method, headers };
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(options.form).toString();
    }

    for (let attempt = 1; ; attempt++) {
      const startedAt = this.clock.now();
      const emit = (status: number, outcome: TsRequestEvent['outcome']): void => {
        const e = { method, path, query, attempt, status, outcome, startedAt, durationMs: this.clock.now() - startedAt };
        for (const o of this.observers) o(e);
      };
      let error: TailscaleError;
      let retryable: boolean;
      let retryAfterMs = 0;
      try {
        const { response, text } = await fetchAttempt(this.fetchImpl, url, init, { timeoutMs: this.timeoutMs, signal: options.signal });
        const parsed = tryParseJson(text);
        if (response.ok) {
          if (parsed.ok || text === '') {
            emit(response.status, 'ok');
            return { status: response.status, body: parsed.ok ? parsed.value : undefined };
          }
          error = new TailscaleError({ status: response.status, message: 'unreadable JSON in a successful response', method, path, attempts: attempt, code: 'cloud_error' });
          retryable = method === 'GET';
        } else {
          const body = parsed.ok ? (parsed.value as { message?: unknown; data?: unknown } | null) : null;
          const message = body && typeof body.message === 'string' ? body.message : `server responded with status code ${response.status}`;
          error = new TailscaleError({ status: response.status, message, method, path, attempts: attempt, data: body?.data });
          const s = response.status;
          retryable = s === 429 || (idempotent && (s === 500 || s === 502 || s === 503 || s === 504));
          const after = Number(response.headers.get('retry-after'));
          if (Number.isFinite(after) && after > 0) retryAfterMs = after * 1000;
        }
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.kind === 'aborted') {
          emit(0, 'error');
          throw new OutpostError('cancelled', `${method} ${path} cancelled`);
        }
        error = new TailscaleError({ status: 0, message: err.message, method, path, attempts: attempt, code: err.kind === 'timeout' ? 'timeout' : 'unavailable' });
        retryable = idempotent;
      }
      if (!retryable || attempt > this.backoff.maxRetries) {
        emit(error.status, 'error');
        throw error;
      }
      emit(error.status, 'retry');
      const delay = Math.min(this.backoff.capMs, Math.max(retryAfterMs, backoffDelay(attempt - 1, this.backoff, this.random)));
      reportWait({ cloud: 'tailscale', reason: error.status === 429 ? 'rate_limit' : error.status === 503 ? 'unavailable' : 'retry', delayMs: delay, apiCode: error.apiCode });
      this.logger.debug('tailscale: retrying', { method, path, status: error.status, attempt, delayMs: Math.round(delay) });
      try {
        await this.sleep(delay, options.signal);
      } catch {
        throw new OutpostError('cancelled', `${method} ${path} cancelled`);
      }
    }
  }
}

/** Authenticated API calls: Bearer from the TokenSource, one refresh-and-retry on 401. */
export class TailscaleHttp {
  constructor(
    readonly transport: TailscaleTransport,
    private readonly tokens: TokenSource,
  ) {}

  async request<T>(method: string, path: string, options: Omit<SendOptions, 'headers' | 'form'> = {}): Promise<SendResult & { body: T }> {
    const token = await this.tokens.token();
    try {
      return (await this.transport.send(method, path, { ...options, headers: { Authorization: `Bearer ${token}` } })) as SendResult & { body: T };
    } catch (err) {
      if (!(err instanceof TailscaleError) || err.status !== 401) throw err;
      // Expired or revoked access token: drop exactly this one (concurrent callers share the
      // single refresh that follows) and try once more.
      this.tokens.invalidate(token);
      const fresh = await this.tokens.token();
      return (await this.transport.send(method, path, { ...options, headers: { Authorization: `Bearer ${fresh}` } })) as SendResult & { body: T };
    }
  }
}
