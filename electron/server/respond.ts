// How the panel's servers answer: the error envelope of shared/errors.ts as JSON, with the security
// headers on every response (browser mode and the team server alike).
import type { ServerResponse } from 'node:http';
import type { ErrorCode, Result } from '../../shared/errors';
import { SECURITY_HEADERS } from './security-headers';

export function envelope(code: ErrorCode, message: string, hint?: string): Result<never> {
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

/** Answered while the body is still arriving; the connection closes so the rest is never read. */
export function refuseTooLarge(res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  sendJson(res, 413, envelope('invalid_input', 'The request body is larger than 1 MiB.', 'Send less than 1 MiB per call.'));
}
