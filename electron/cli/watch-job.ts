// Follows one job to its end, printing its timeline as it grows. Events only say "something
// changed"; the lines come from the store (jobs:get), so none is missed or printed twice.
import type { Job } from '../../shared/domain';
import { isTerminal } from '../../shared/domain';
import { eventLine } from './format';
import type { CliSession } from './session';

export interface WatchOptions {
  json: boolean;
  print: (line: string) => void;
}

export async function watchJob(session: CliSession, jobId: string, options: WatchOptions): Promise<Job> {
  let lastSeq = 0;
  const drain = async () => {
    const { job, events } = await session.api.call('jobs:get', { jobId });
    for (const e of events.filter((x) => x.seq > lastSeq)) {
      lastSeq = e.seq;
      if (options.json) options.print(JSON.stringify({ type: 'event', mode: session.runtime.mode, jobId, event: e }));
      else {
        const line = eventLine(e);
        if (line) options.print(line);
      }
    }
    return job;
  };
  let pending = Promise.resolve<unknown>(undefined);
  const off = session.api.on('job:progress', (p) => {
    if (p.jobId === jobId) pending = pending.then(drain);
  });
  try {
    await drain();
    const settled = await session.runtime.runner.settled(jobId);
    await pending;
    const job = await drain();
    if (!isTerminal(job) && settled) return settled;
    return job;
  } finally {
    off();
  }
}
