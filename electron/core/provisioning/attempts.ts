// Removing things is idempotent ("already gone" is success), so a removal that failed on a
// transient error is simply tried again, each retry noted on the job's timeline.
import type { PipelineContext } from './context';

const ATTEMPTS = 3;

export async function withAttempts<T>(ctx: PipelineContext, jobId: string, name: string, work: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (signal.aborted || attempt >= ATTEMPTS) throw err;
      const message = err instanceof Error ? err.message : String(err);
      await ctx.journal.record(jobId, { type: 'note', step: name, data: { message: `${name} failed (attempt ${attempt}): ${message}; retrying.` } });
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}
