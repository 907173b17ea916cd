// Typed Tailscale failures: HTTP status and Tailscale's `{message}`; never headers or tokens.
import { OutpostError, type ErrorCode } from '../../../shared/errors';

export function outpostCodeForStatus(status: number): ErrorCode {
  if (status === 0) return 'unavailable';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 429) return 'rate_limited';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'cloud_error';
}

export interface TailscaleErrorInit {
  /** 0 when no response arrived. */
  status: number;
  message: string;
  method: string;
  path: string;
  attempts: number;
  code?: ErrorCode;
  /** Extra structured data Tailscale sent (e.g. ACL test `data`). */
  data?: unknown;
}

export class TailscaleError extends OutpostError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly data: unknown;

  constructor(init: TailscaleErrorInit) {
    super(init.code ?? outpostCodeForStatus(init.status), `tailscale: ${init.message}${init.status ? ` (HTTP ${init.status})` : ''}`, {
      apiCode: init.status ? `http_${init.status}` : undefined,
    });
    this.name = 'TailscaleError';
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.data = init.data;
  }
}
