// kill -9 in the middle of a provision, then start again: the job finishes (or compensates) from
// what it recorded, with nothing duplicated in the clouds and nothing left behind.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/core/db/store';
import { loadDriver } from '../../../electron/core/db/driver';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import { runOutpost } from '../../fixtures/cli-process';
import { endpointsOf, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';

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
  for (let i = 0; i < 3000; i++) {
    const seen = eventsOf(file);
    jobId = seen.jobId;
    if (jobId && (await killWhen(seen.events, jobId))) {
      run.child.kill('SIGKILL');
      killedAt = seen.events;
      break;
    }
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5)); // poll: until the kill point is reached or the child exits
  }
  const first = await run.exited;
  expect(first.signal, `the child finished before the kill point: ${first.stdout}${first.stderr}`).toBe('SIGKILL');
  const resume = await runOutpost(dir, endpoints, ['resume', '--json']).exited;
  expect(resume.code, resume.stderr).toBe(0);
  const store = Store.open(file);
  try {
    const job = store.jobs.get(jobId!)!;
    const instance = store.instances.get(job.instanceId!)!;
    const state = await control.state();
    return { job, instance, store, state, killedAt, events: store.jobs.events(jobId!), integrity: store.integrityProblems() };
  } finally {
    store.close();
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
