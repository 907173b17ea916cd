// "Why is this step not moving?" A cloud client that is about to wait on purpose — Hetzner's rate
// limit, a backoff before retrying a 503 — says so here, and whatever runs the work (a job's step)
// hears it through the async context, without every client call taking a callback. Outside a
// reporter (fleet sync, a token check) a report goes nowhere.
import { AsyncLocalStorage } from 'node:async_hooks';

export type WaitReason = 'rate_limit' | 'unavailable' | 'retry';

export interface WaitReport {
  cloud: 'hetzner' | 'tailscale';
  reason: WaitReason;
  /** How long the client will wait before its next attempt. */
  delayMs: number;
  /** The API's code that caused it, when an answer did (e.g. `rate_limit_exceeded`). */
  apiCode?: string | undefined;
}

export type WaitReporter = (report: WaitReport) => void;

const current = new AsyncLocalStorage<WaitReporter>();

/** Runs `work` with `reporter` hearing every wait announced inside it (and in what it awaits). */
export function withWaitReporter<T>(reporter: WaitReporter, work: () => Promise<T>): Promise<T> {
  return current.run(reporter, work);
}

/** Announces a wait to the reporter of the running work, if any. Never throws. */
export function reportWait(report: WaitReport): void {
  const reporter = current.getStore();
  if (!reporter) return;
  try {
    reporter(report);
  } catch {
    // A report is a courtesy: a failing listener must not fail the request that waits.
  }
}

const CLOUD: Record<WaitReport['cloud'], string> = { hetzner: 'Hetzner', tailscale: 'Tailscale' };

/** "Waiting for Hetzner's rate limit, 12 s" — the words a timeline shows while it happens. */
export function describeWait(report: WaitReport): string {
  const seconds = Math.max(1, Math.ceil(report.delayMs / 1000));
  const cloud = CLOUD[report.cloud];
  if (report.reason === 'rate_limit') return `Waiting for ${cloud}'s rate limit, ${seconds} s`;
  if (report.reason === 'unavailable') return `${cloud} answered 503 (unavailable); retrying in ${seconds} s`;
  return `${cloud} did not answer cleanly${report.apiCode ? ` (${report.apiCode})` : ''}; retrying in ${seconds} s`;
}
