// kill -9 in the middle of a provision, then start again: the job finishes (or compensates) from
// what it recorded, with nothing duplicated in the clouds and nothing left behind. The kills are on
// SQLite only: the `outpost` command opens the desktop's store file and cannot be pointed at a
// PostgreSQL store; the last suite closes Outpost in-process mid-step instead, on both engines.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/core/db/store';
import { loadDriver } from '../../../electron/core/db/driver';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import { runOutpost } from '../../fixtures/cli-process';
import { ENGINES } from '../../fixtures/engines';
import { endpointsOf, leftovers, startHarness, TEST_TIME_SCALE, type Harness } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';
import { pollUntil } from '../../fixtures/wait-until';

let sim: RunningSimulator;
let control: SimControl;
const dirs: (() => void)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 11 });
  control = new SimControl(sim.url);
});
afterAll(async () => {
  await sim.close();
  dirs.forEach((cleanup) => cleanup());
});

/** The job's events as `type:step`, read from the child's store file while it runs. */
function eventsOf(file: string): { jobId: string | null; events: string[] } {
  if (!existsSync(file)) return { jobId: null, events: [] };
  try {
    const Driver = loadDriver();
    const db = new Driver(file, { readonly: true, fileMustExist: true, timeout: 100 });
    try {
      const rows = db.prepare('SELECT job_id, type, step FROM job_events ORDER BY job_id, seq').all() as { job_id: string; type: string; step: string | null }[];
      return { jobId: rows[0]?.job_id ?? null, events: rows.map((r) => `${r.type}:${r.step ?? ''}`) };
    } finally {
      db.close();
    }
  } catch {
    return { jobId: null, events: [] }; // the child is still creating the schema
  }
}

async function provisionAndKill(label: string, killWhen: (events: string[], jobId: string) => Promise<boolean> | boolean) {
  const { dir, cleanup } = tempDir(`outpost-crash-${label}-`);
  dirs.push(cleanup);
  const endpoints = endpointsOf(sim);
  const run = runOutpost(dir, endpoints, ['provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', label, '--json']);
  const file = join(dir, 'live.db');
  let killedAt: string[] = [];
  let jobId: string | null = null;
  // Until the kill point is reached (the child is killed there) or the child exits; the check below says which.
  await pollUntil(async () => {
    const seen = eventsOf(file);
    jobId = seen.jobId;
    if (jobId && (await killWhen(seen.events, jobId))) {
      run.child.kill('SIGKILL');
      killedAt = seen.events;
      return true;
    }
    return run.child.exitCode !== null;
  });
  const first = await run.exited;
  expect(first.signal, `the child finished before the kill point: ${first.stdout}${first.stderr}`).toBe('SIGKILL');
  // The simulator's requests from here on are the resumed run's.
  const resumedFrom = (await control.requests()).lastSeq;
  const resume = await runOutpost(dir, endpoints, ['resume', '--json']).exited;
  expect(resume.code, resume.stderr).toBe(0);
  const store = await Store.open(file);
  try {
    const job = (await store.jobs.get(jobId!))!;
    const instance = (await store.instances.get(job.instanceId!))!;
    const state = await control.state();
    return { job, instance, state, killedAt, resumedFrom, events: await store.jobs.events(jobId!), integrity: await store.integrityProblems() };
  } finally {
    await store.close();
  }
}

describe('SIGKILL during a provision, then restart', () => {
  it('between steps, after the key was minted: the lost key is revoked, a new one minted, the VM enrolls', async () => {
    const r = await provisionAndKill('after-mint', (events) => events.includes('step_succeeded:mint_key'));
    expect(r.killedAt).toContain('step_succeeded:mint_key');
    expect(r.killedAt).not.toContain('step_succeeded:create_server');
    expect(r.job.status).toBe('succeeded');
    expect(r.instance.status).toBe('running');
    expect(r.state.servers.filter((s) => s.labels['outpost.job'] === r.job.id)).toHaveLength(1);
    expect(r.events.some((e) => e.type === 'note' && String(e.data.message).includes('did not survive the restart'))).toBe(true);
    // The first key (never used) is no longer valid, the second was spent by the VM.
    expect(r.state.keys.filter((k) => !k.invalid)).toEqual([]);
    expect(r.integrity).toEqual([]);
  });

  it('between steps, after the server was created: the job waits for it and enrolls', async () => {
    const r = await provisionAndKill('after-create', (events) => events.includes('step_succeeded:create_server'));
    expect(r.killedAt).not.toContain('step_succeeded:wait_running');
    expect(r.job.status).toBe('succeeded');
    expect(r.state.servers.filter((s) => s.labels['outpost.job'] === r.job.id)).toHaveLength(1);
    expect(r.instance.tailnetIp).toMatch(/^100\./);
    expect(r.integrity).toEqual([]);
  });

  it('inside create_server, its POST sent but never answered: the second create looks the label up before posting again', async () => {
    // The POST never reaches Hetzner's handling (nothing is created) and never gets an answer; the
    // process dies while it waits. The resumed job's create_server is its second: only a job's first
    // create may POST without a label lookup (the lost POST could have landed).
    const { id } = await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', hang: true, count: 1 });
    try {
      // A rule of count 1 retires once it has hit: gone from the list means the POST is being held.
      const hit = async () => !((await control.faults()).http as { id: number }[]).some((r) => r.id === id);
      const r = await provisionAndKill('post-lost', async (events) => events.includes('step_started:create_server') && (await hit()));
      expect(r.job.status).toBe('succeeded');
      expect(r.events.filter((e) => e.type === 'step_started' && e.step === 'create_server')).toHaveLength(2);
      expect(r.state.servers.filter((s) => s.labels['outpost.job'] === r.job.id)).toHaveLength(1);
      // In the resumed run: the restart's own lookup, the new key, then the create's lookup, then its POST.
      const log = (await control.requests(r.resumedFrom)).requests;
      const post = log.findIndex((q) => q.method === 'POST' && q.path === '/hetzner/v1/servers');
      const newKey = log.findLastIndex((q, i) => i < post && q.method === 'POST' && q.path.startsWith('/tailscale/api/v2/tailnet/') && q.path.endsWith('/keys'));
      expect(post).toBeGreaterThan(newKey);
      expect(newKey).toBeGreaterThan(0);
      const lookups = log.slice(newKey + 1, post).filter((q) => q.method === 'GET' && decodeURIComponent(q.path).includes(`outpost.job=${r.job.id}`));
      expect(lookups).toHaveLength(1);
      expect(r.integrity).toEqual([]);
    } finally {
      await control.clearFaults();
    }
  });

  it('inside create_server, after Hetzner made the server but before the answer: adopted, never duplicated', async () => {
    // The POST is processed, then its answer is held back long enough to kill the process.
    await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 10_000, phase: 'after', count: 1 });
    try {
      const r = await provisionAndKill('inside-create', async (events, jobId) => {
        if (!events.includes('step_started:create_server')) return false;
        const state = await control.state();
        return state.servers.some((s) => s.labels['outpost.job'] === jobId);
      });
      expect(r.killedAt).not.toContain('step_succeeded:create_server');
      expect(r.job.status).toBe('succeeded');
      const servers = r.state.servers.filter((s) => s.labels['outpost.job'] === r.job.id);
      expect(servers).toHaveLength(1);
      expect(r.instance.serverId).toBe(servers[0]!.id);
      expect(r.events.some((e) => e.type === 'note' && String(e.data.message).includes('created before the restart'))).toBe(true);
      expect(r.integrity).toEqual([]);
    } finally {
      await control.clearFaults();
    }
  });
});

describe.each(ENGINES)('Outpost closed during a provision, then started again, on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ engine, seed: 12 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('inside create_server, after Hetzner made the server but before the answer: the resumed job adopts it', async () => {
    await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 3_000, phase: 'after', count: 1 });
    try {
      const { jobId, instanceId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'closed mid-create' });
      await h.control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 15_000 });
      await h.restart();
      expect((await h.settle(jobId)).status).toBe('succeeded');
      const servers = (await h.control.state()).servers.filter((x) => x.labels['outpost.job'] === jobId);
      expect(servers).toHaveLength(1);
      expect((await h.runtime.store.instances.get(instanceId))?.serverId).toBe(servers[0]!.id);
      const events = await h.runtime.store.jobs.events(jobId);
      expect(events.some((e) => e.type === 'note' && String(e.data.message).includes('created before the restart'))).toBe(true);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(await h.runtime.store.integrityProblems()).toEqual([]);
      expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
    } finally {
      await h.control.clearFaults();
    }
  });
});
