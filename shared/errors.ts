// The one error envelope, shared by IPC, HTTP and the CLI. A handler either returns data or one of
// these codes; nothing else (no stack, no request headers, no secret) crosses a process boundary.

export const ERROR_CODES = [
  'invalid_input', // the request failed its schema: fix the named field
  'not_found', // the thing asked for does not exist (any more)
  'conflict', // the request collides with current state (duplicate name, job already terminal)
  'read_only', // the support role or a read-only Hetzner token forbids mutations
  'unauthorized', // a cloud refused the stored credentials
  'unavailable', // a cloud or the simulator cannot be reached, or the resource is out of stock
  'rate_limited', // a cloud's rate limit was hit despite the budget
  'cloud_error', // a cloud answered with an error not covered above (apiCode says which)
  'timeout', // a step or a request ran past its deadline
  'cancelled', // an operator cancelled the job
  'locked', // the vault is locked or its passphrase is wrong
  'forbidden', // the caller (frame, origin, host) is not allowed to call at all
  'corrupt', // a stored record failed its check when read back: named, and nothing was done with it
  'internal', // a bug: reported without details, logged in the main process
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** What the operator can do about it. */
  hint?: string;
  /** The cloud API's own error code (e.g. Hetzner `resource_unavailable`), kept verbatim. */
  apiCode?: string;
  /** The pipeline step the error belongs to, when it comes from a job. */
  step?: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Thrown by core and by API clients of the renderer; serialised into the envelope as is. */
export class OutpostError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly apiCode?: string;
  readonly step?: string;

  constructor(code: ErrorCode, message: string, extra: Omit<ErrorBody, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'OutpostError';
    this.code = code;
    if (extra.hint !== undefined) this.hint = extra.hint;
    if (extra.apiCode !== undefined) this.apiCode = extra.apiCode;
    if (extra.step !== undefined) this.step = extra.step;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.hint !== undefined) body.hint = this.hint;
    if (this.apiCode !== undefined) body.apiCode = this.apiCode;
    if (this.step !== undefined) body.step = this.step;
    return body;
  }

  static fromBody(body: ErrorBody): OutpostError {
    const { code, message, ...extra } = body;
    return new OutpostError(code, message, extra);
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/**
 * Electron's contextBridge keeps only the message of a thrown Error, so the preload rejects with a
 * plain `ErrorBody` marked `name: 'OutpostError'`; this recognises one on the renderer side.
 */
export const isBridgedError = (reason: unknown): reason is ErrorBody & { name: 'OutpostError' } =>
  typeof reason === 'object' &&
  reason !== null &&
  (reason as { name?: unknown }).name === 'OutpostError' &&
  isErrorCode((reason as { code?: unknown }).code) &&
  typeof (reason as { message?: unknown }).message === 'string';
