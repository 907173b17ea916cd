// `outpost list`, `outpost jobs`, `outpost destroy`, `outpost resume`.
import { OutpostError } from '../../../shared/errors';
import { green, instancesTable, jobsTable, red } from '../format';
import { openSession, type CliOptions } from '../session';
import { watchJob } from '../watch-job';

type Cli = Omit<CliOptions, 'resume'>;

export async function runList(cli: Cli, json: boolean, all: boolean, print = console.log): Promise<number> {
  const session = await openSession({ ...cli, resume: false });
  try {
    const instances = await session.api.call('instances:list', all ? { includeDestroyed: true } : {});
    print(json ? JSON.stringify(instances) : instancesTable(instances));
    return 0;
  } finally {
    await session.close();
  }
}

export async function runJobs(cli: Cli, json: boolean, print = console.log): Promise<number> {
  const session = await openSession({ ...cli, resume: false });
  try {
    const jobs = await session.api.call('jobs:list', { limit: 50 });
    print(json ? JSON.stringify(jobs) : jobsTable(jobs));
    return 0;
  } finally {
    await session.close();
  }
}

/** Destroys by instance id or name; the CLI names it explicitly, so that is the confirmation. */
export async function runDestroy(cli: Cli, idOrName: string, json: boolean, print = console.log): Promise<number> {
  const session = await openSession({ ...cli, resume: true });
  try {
    const instances = await session.api.call('instances:list', {});
    const instance = instances.find((i) => i.id === idOrName || i.name === idOrName);
    if (!instance) throw new OutpostError('not_found', `No VM with id or name "${idOrName}".`, { hint: 'See `outpost list`.' });
    const { jobId } = await session.api.call('instances:destroy', { instanceId: instance.id, confirmName: instance.name });
    if (!json) print(`Destroying ${instance.name} (job ${jobId})`);
    const job = await watchJob(session, jobId, { json, print });
    if (json) print(JSON.stringify({ type: 'result', ok: job.status === 'succeeded', job }));
    else if (job.status === 'succeeded') print(green(`Destroyed ${instance.name}: server, device and key are gone.`));
    else console.error(red(`Destroy ${job.status}${job.error ? ` at ${job.error.step}: ${job.error.message}` : ''}. Run it again to retry.`));
    return job.status === 'succeeded' ? 0 : 1;
  } finally {
    await session.close();
  }
}

/** Finishes (or compensates) every job a previous run left unfinished, and waits for them. */
export async function runResume(cli: Cli, json: boolean, print = console.log): Promise<number> {
  const session = await openSession({ ...cli, resume: true });
  try {
    const resumed = session.runtime.resumed;
    if (!json) print(resumed.length ? `Resuming ${resumed.length} job(s): ${resumed.join(', ')}` : 'Nothing to resume.');
    await session.runtime.runner.idle();
    const jobs = await Promise.all(resumed.map((jobId) => session.api.call('jobs:get', { jobId }).then((d) => d.job)));
    print(json ? JSON.stringify(jobs) : jobsTable(jobs));
    return 0;
  } finally {
    await session.close();
  }
}
