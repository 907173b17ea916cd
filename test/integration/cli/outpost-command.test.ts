// The `outpost` command as an operator runs it: real child processes, a real store file, the
// simulators standing in for the clouds through the live-mode environment variables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import { runOutpost } from '../../fixtures/cli-process';
import { endpointsOf, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => void;
const outpost = (...args: string[]) => runOutpost(dir, endpointsOf(sim), args).exited;
const jsonLines = (text: string) => text.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('[')).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 3 });
  ({ dir, cleanup } = tempDir('outpost-cli-'));
});
afterAll(async () => {
  await sim.close();
  cleanup();
});

describe('outpost command', () => {
  let name = '';

  it('provision prints each step as JSON and exits 0 once enrolled', async () => {
    const run = await outpost('provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'cli bot', '--json');
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    // Every line names the mode it ran in: a script can never mistake sandbox output for live.
    expect(lines.length).toBeGreaterThan(7);
    expect(lines.filter((l) => l.mode !== 'live')).toEqual([]);
    const steps = lines.filter((l) => l.type === 'event').map((l) => l.event as { type: string; step: string | null }).filter((e) => e.type === 'step_succeeded').map((e) => e.step);
    expect(steps).toEqual(['reserve', 'mint_key', 'render_user_data', 'create_server', 'wait_running', 'wait_enrolled', 'activate']);
    const result = lines.at(-1)!;
    expect(result).toMatchObject({ type: 'result', ok: true, job: { status: 'succeeded' }, instance: { status: 'running', region: 'fsn1' } });
    name = (result.instance as { name: string }).name;
    expect((result.instance as { tailnetIp: string }).tailnetIp).toMatch(/^100\./);
  });

  it('list and jobs show it', async () => {
    const list = await outpost('list', '--json');
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { mode: string; instances: { name: string }[] };
    expect(listed.mode).toBe('live');
    expect(listed.instances.map((i) => i.name)).toEqual([name]);
    const jobs = await outpost('jobs');
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/^live mode · /);
    expect(jobs.stdout).toMatch(/provision\s+succeeded/);
    const jobsJson = JSON.parse((await outpost('jobs', '--json')).stdout) as { mode: string; jobs: { kind: string; status: string }[] };
    expect(jobsJson.mode).toBe('live');
    expect(jobsJson.jobs.map((j) => [j.kind, j.status])).toEqual([['provision', 'succeeded']]);
  });

  it('a failed provision exits 1 naming the step and the reason, with nothing left behind', async () => {
    const control = new SimControl(sim.url);
    await control.failActions({ command: 'start_server', count: 1 });
    const run = await outpost('provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'doomed');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed at wait_running/);
    expect(run.stdout).toMatch(/↺ delete_server/);
    const servers = (await control.state()).servers.filter((s) => s.status !== 'deleting');
    expect(servers).toHaveLength(1); // only the first VM
  });

  it('bad input exits 1 with the reason and what to do', async () => {
    const run = await outpost('provision', '--region', 'mars1', '--type', 'cx22', '--image', 'ubuntu-24.04');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown region "mars1"');
    expect(run.stderr).toContain('fsn1');
    const missing = await outpost('provision', '--region', 'fsn1');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--type/);
  });

  it('destroy removes it and exits 0', async () => {
    const run = await outpost('destroy', name);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Destroyed ${name}`);
    // Only the failed attempt is left in the list, marked failed (support staff look those up).
    const list = await outpost('list', '--json');
    expect((JSON.parse(list.stdout) as { instances: { status: string }[] }).instances.map((i) => i.status)).toEqual(['failed']);
    const all = await outpost('list', '--all', '--json');
    expect((JSON.parse(all.stdout) as { instances: { name: string; status: string }[] }).instances.find((i) => i.name === name)?.status).toBe('destroyed');
    expect((await new SimControl(sim.url).state()).servers.filter((s) => s.status !== 'deleting')).toEqual([]);
  });

  it('destroy --json and resume --json name their mode on every line', async () => {
    const made = jsonLines((await outpost('provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'short lived', '--json')).stdout).at(-1)!;
    const vm = (made.instance as { name: string }).name;
    const run = await outpost('destroy', vm, '--json');
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.filter((l) => l.type === 'event').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.mode !== 'live')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', mode: 'live', ok: true, job: { kind: 'destroy', status: 'succeeded' } });
    const resume = await outpost('resume', '--json');
    expect(resume.code, resume.stderr).toBe(0);
    expect(JSON.parse(resume.stdout)).toEqual({ mode: 'live', jobs: [] });
  });

  it('a refused command with --json says so in JSON, naming the mode', async () => {
    const run = await outpost('destroy', 'no-such-vm', '--json');
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([{ type: 'error', mode: 'live', error: { code: 'not_found', message: 'No VM with id or name "no-such-vm".', hint: 'See `outpost list`.' } }]);
  });
});
