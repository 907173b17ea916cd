// `outpost provision --count N`: N VMs of one plan, recorded as one group; waits for every job and
// prints one line per VM as it ends (N interleaved timelines would be unreadable).
import type { Instance, Job } from '../../../shared/domain';
import { green, red } from '../format';
import type { CliSession } from '../session';
import type { ProvisionOptions } from './provision';

export async function provisionBatch(session: CliSession, opts: ProvisionOptions, count: number, print: (line: string) => void): Promise<number> {
  const mode = session.runtime.mode;
  const answer = await session.api.call('provision:start', {
    region: opts.region,
    serverType: opts.type,
    image: opts.image,
    agentName: opts.agent ?? 'agent',
    quantity: count,
    ...(opts.customer ? { customer: opts.customer } : {}),
  });
  // First Ctrl+C cancels every job of the group (each cleans up); a second leaves them to resume.
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      console.error(`\nCancelling ${answer.jobs.length} jobs: removing what they created (Ctrl+C again to leave them for \`outpost resume\`).`);
      for (const { jobId } of answer.jobs) session.api.call('provision:cancel', { jobId }).catch((e: unknown) => console.error(String(e)));
    } else {
      void session.close().then(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSigint);
  try {
    if (!opts.json) print(`Provisioning ${answer.jobs.length} VMs as group ${answer.groupId} (${mode})`);
    const outcomes = await Promise.all(
      answer.jobs.map(async ({ jobId, instanceId }) => {
        const job = (await session.runtime.runner.settled(jobId)) ?? (await session.api.call('jobs:get', { jobId })).job;
        const { instance } = await session.api.call('instances:get', { instanceId });
        if (!opts.json) print(line(job, instance));
        return { job, instance };
      }),
    );
    const failed = outcomes.filter((o) => o.job.status !== 'succeeded').length;
    if (opts.json) print(JSON.stringify({ type: 'result', mode, ok: failed === 0, groupId: answer.groupId, vms: outcomes }));
    else print(failed === 0 ? green(`All ${outcomes.length} enrolled.`) : red(`${failed} of ${outcomes.length} did not enrol; what they created was removed.`));
    return failed === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function line(job: Job, instance: Instance): string {
  if (job.status === 'succeeded') return green(`  enrolled ${instance.name}  tailnet ${instance.tailnetIp}  job ${job.id}`);
  const e = job.error;
  return red(`  ${job.status} ${instance.name}${e ? ` at ${e.step}: ${e.code}: ${e.message}` : ''}  job ${job.id}`);
}
