// Live mode was asked for and cannot be used. Outpost then stops instead of quietly running
// somewhere else: a script that said `--mode live` must never provision a simulated VM and exit 0.
// The CLI exits non-zero with this error; the panel shows a blocking screen built from `unavailable`.
import type { LiveUnavailable } from '../../shared/domain';
import { OutpostError, type ErrorCode } from '../../shared/errors';

export type LiveRequestSource = LiveUnavailable['requestedBy'];

/** How each shell can reach the simulated clouds on purpose, per who asked for live. */
export const SANDBOX_ON_PURPOSE: Record<LiveRequestSource, string> = {
  option: 'To use the simulated clouds instead, run without --mode live (or with --mode sandbox).',
  setting: 'To use the simulated clouds instead, pass --mode sandbox, or switch to sandbox in the panel.',
  environment: 'To use the simulated clouds instead, pass --mode sandbox, or unset the OUTPOST_* credentials.',
};

export class LiveUnavailableError extends OutpostError {
  /** What else the operator should know (e.g. a damaged vault was moved aside), for the blocking screen. */
  readonly notices: string[] = [];

  constructor(
    readonly unavailable: LiveUnavailable,
    code: ErrorCode,
  ) {
    super(code, `Live mode is unavailable: ${unavailable.reason}`, { hint: `${unavailable.hint} ${SANDBOX_ON_PURPOSE[unavailable.requestedBy]}` });
    this.name = 'LiveUnavailableError';
  }
}

/** The refusal for `reason` (a sentence from the vault, the environment or a cloud check). */
export function liveUnavailable(requestedBy: LiveRequestSource, code: ErrorCode, reason: string, hint: string): LiveUnavailableError {
  return new LiveUnavailableError({ reason: reason.trim(), hint: hint.trim(), requestedBy }, code);
}
