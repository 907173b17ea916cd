// Typed failures of the Hetzner client. They carry what an operator or the pipeline needs (HTTP
// status, the API's code, message, details, X-Correlation-Id for a support ticket) and never the
// request: no headers, no token, no body.
import { OutpostError, type ErrorCode } from '../../../shared/errors';
import type { Action } from './types';

/** Maps the API's own code (reference §6) onto the app-wide envelope code. */
export function outpostCodeFor(apiCode: string, status: number): ErrorCode {
  switch (apiCode) {
    case 'unauthorized':
      return 'unauthorized';
    case 'token_readonly':
      return 'read_only';
    case 'not_found':
      return 'not_found';
    case 'uniqueness_error':
    case 'conflict':
    case 'locked':
    case 'protected':
      return 'conflict';
    case 'rate_limit_exceeded':
    case 'limit_reached':
      return 'rate_limited';
    case 'resource_unavailable':
    case 'unavailable':
    case 'maintenance':
    case 'bad_gateway':
      return 'unavailable';
    case 'invalid_input':
    case 'json_error':
      return 'invalid_input';
    case 'timeout':
      return 'timeout';
    default:
      if (status === 401) return 'unauthorized';
      if (status === 404) return 'not_found';
      if (status === 429) return 'rate_limited';
      if (status === 502 || status === 503) return 'unavailable';
      if (status === 504) return 'timeout';
      return 'cloud_error';
  }
}

export interface HetznerErrorInit {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  apiCode: string;
  message: string;
  details?: unknown;
  correlationId?: string | undefined;
  method: string;
  /** Path without query (query strings can hold label values; keep messages short). */
  path: string;
  /** How many attempts were made before giving up. */
  attempts: number;
  code?: ErrorCode;
}

/**
 * What the operator can do about a failure that survived the client's retries. Only where the code
 * alone would mislead: a 503 is Hetzner's side (not "check the network"), a 429 is a limit shared
 * by every tool using the project (reference §7).
 */
export function hetznerHint(init: HetznerErrorInit, code: ErrorCode): string | undefined {
  const tries = init.attempts > 1 ? ` Outpost waited and tried ${init.attempts} times.` : '';
  if (code === 'rate_limited') {
    return `Hetzner allows 3600 requests an hour per project, refilled one a second, and every tool using this project's tokens shares them.${tries} Retry in a minute or two; if it keeps happening, look for other scripts or tools using the same project.`;
  }
  if (init.status === 503) {
    return `Hetzner answered 503 (service unavailable)${init.attempts > 1 ? `, ${init.attempts} times in a row` : ''}: the trouble is on Hetzner's side, not your network. Check status.hetzner.com, then retry.`;
  }
  if (init.status === 0 && code === 'unavailable') return 'No answer from the Hetzner API: check this computer\'s network, proxy or firewall, then retry.';
  return undefined;
}

export class HetznerError extends OutpostError {
  readonly status: number;
  readonly details: unknown;
  readonly correlationId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** Same as OutpostError.apiCode, but always set. */
  declare readonly apiCode: string;

  constructor(init: HetznerErrorInit) {
    const suffix = init.correlationId ? `${init.apiCode}, ${init.correlationId}` : init.apiCode;
    const code = init.code ?? outpostCodeFor(init.apiCode, init.status);
    const hint = hetznerHint(init, code);
    super(code, `${init.message} (${suffix})`, { apiCode: init.apiCode, ...(hint ? { hint } : {}) });
    this.name = 'HetznerError';
    this.status = init.status;
    this.details = init.details ?? null;
    this.correlationId = init.correlationId;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
  }
}

/**
 * A POST /servers whose outcome is unknown (timeout, reset, 5xx, unreadable 2xx): the server may
 * or may not exist. Never retry blindly: look it up by its unique label first (ensureServer does).
 */
export class AmbiguousCreateError extends HetznerError {
  readonly ambiguous = true as const;
  constructor(
    init: HetznerErrorInit,
    /** What made it ambiguous, e.g. `timeout`, `network`, `http_502`, `malformed_response`. */
    readonly reason: string,
  ) {
    super(init);
    this.name = 'AmbiguousCreateError';
  }
}

export const isAmbiguousCreate = (err: unknown): err is AmbiguousCreateError =>
  err instanceof AmbiguousCreateError;

/** An action that finished with status `error`; apiCode is the action's own error code. */
export class ActionFailedError extends OutpostError {
  readonly action: Action;
  constructor(action: Action) {
    const code = action.error?.code ?? 'action_failed';
    super('cloud_error', `action ${action.id} (${action.command}) failed: ${action.error?.message ?? 'unknown error'} (${code})`, {
      apiCode: code,
    });
    this.name = 'ActionFailedError';
    this.action = action;
  }
}
