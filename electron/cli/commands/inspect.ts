// `outpost list`, `outpost jobs`, `outpost destroy`, `outpost resume`. With --json every answer
// names the mode it came from ({mode, ...}), so sandbox data can never pass for live.
import { OutpostError } from '../../../shared/errors';
import { dim, green, instancesTable, jobsTable, red } from '../format';
import { inSession, type CliOptions, type CliSession } from '../session';
import { watchJob } from '../watch-job';

type Cli = Omit<CliOptions, 'resume'>;

/** Tables say where they come from too: sandbox VMs must never be mistaken for live ones. */
const modeLine = (session: CliSession) => dim(`${session.runtime.mode} mode · ${session.runtime.dataDir}`);

export async function runList(cli: Cli, json: boolean, all: boolean, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: false }, { json, print }, async (session) => {
    const instances = await session.api.call('instances:list', all ? { includeDestroyed: true } : {});
    print(json ? JSON.stringify({ mode: session.runtime.mode, instances }) : `${modeLine(session)}\n${instancesTable(instances)}`);
    return 0;
  });
}

export async function runJobs(cli: Cli, json: boolean, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: false }, { json, print }, async (session) => {
    const jobs = await session.api.call('jobs:list', { limit: 50 });
    print(json ? JSON.stringify({ mode: session.runtime.mode, jobs }) : `${modeLine(session)}\n${jobsTable(jobs)}`);
    return 0;
  });
}

/** Destroys by instance id or name; the CLI names it explicitly, so that is the confirmation. */
export async function runDestroy(cli: Cli, idOrName: string, json: boolean, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: true }, { json, print }, async (session) => {
    const instances = await session.api.call('instances:list', {});
    const instance = instances.find((i) => i.id === idOrName || i.name === idOrName);
    if (!instance) throw new OutpostError('not_found', `No VM with id or name "${idOrName}".`, { hint: 'See `outpost list`.' });
    const { jobId } = await session.api.call('instances:destroy', { instanceId: instance.id, confirmName: instance.name });
    if (!json) print(`Destroying ${instance.name} (job ${jobId}, ${session.runtime.mode})`);
    const job = await watchJob(session, jobId, { json, print });
    if (json) print(JSON.stringify({ type: 'result', mode: session.runtime.mode, ok: job.status === 'succeeded', job }));
    else if (job.status === 'succeeded') print(green(`Destroyed ${instance.name}: server, device and key are gone.`));
    else console.error(red(`Destroy ${job.status}${job.error ? ` at ${job.error.step}: ${job.error.message}` : ''}. Run it again to retry.`));
    return job.status === 'succeeded' ? 0 : 1;
  });
}

/** Finishes (or compensates) every job a previous run left unfinished, and waits for them. */
export async function runResume(cli: Cli, json: boolean, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: true }, { json, print }, async (session) => {
    const resumed = session.runtime.resumed;
    if (!json) print(resumed.length ? `Resuming ${resumed.length} job(s) (${session.runtime.mode}): ${resumed.join(', ')}` : 'Nothing to resume.');
    await session.runtime.runner.idle();
    const jobs = await Promise.all(resumed.map((jobId) => session.api.call('jobs:get', { jobId }).then((d) => d.job)));
    print(json ? JSON.stringify({ mode: session.runtime.mode, jobs }) : jobsTable(jobs));
    return 0;
  });
}
