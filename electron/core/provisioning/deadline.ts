// Bounds a step: the work gets a signal that aborts on cancel (the job's signal) or when the
// deadline passes, and a deadline is reported as `timeout`, not as a cancel.
import { OutpostError } from '../../../shared/errors';

export async function withDeadline<T>(
  parent: AbortSignal,
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new OutpostError('timeout', `${what} did not happen within ${formatDuration(ms)}.`));
  }, ms);
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  try {
    return await work(controller.signal);
  } catch (err) {
    if (expired && !parent.aborted) throw controller.signal.reason as OutpostError;
    throw err;
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', forward);
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
