// A refusal or failure as the team server answers it: the error envelope with the HTTP status that
// says the same thing, so scripts and proxies can act on the status alone. Anything that is not an
// OutpostError is a bug: logged (redacted), answered as `internal` without details.
import type { ServerResponse } from 'node:http';
import { OutpostError, type ErrorCode } from '../../../shared/errors';
import { toErrorBody } from '../../core/dispatch';
import type { Logger } from '../../core/log';
import { sendJson } from '../respond';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  read_only: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

export function statusFor(err: unknown): number {
  return err instanceof OutpostError ? (STATUS[err.code] ?? 500) : 500;
}

export function sendError(res: ServerResponse, err: unknown, log: Logger, extra: Record<string, string> = {}): void {
  sendJson(res, statusFor(err), { ok: false, error: toErrorBody(err, log) }, extra);
}
