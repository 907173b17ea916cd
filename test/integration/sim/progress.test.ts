// Progress shapes over HTTP (issue 13): the default follows the recorded evidence (start_server
// idle until the server exists), `/_sim/progress` switches the shape for new actions, and every
// answer still conforms to the official spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimControl } from '../../../electron/sim/control';
import { runSim } from '../../../electron/sim/run';
import { type TestSim, createServer, expectConformant, startTestSim } from './helpers';
import { SPECS_PRESENT } from './spec-validator';
import { waitUntil } from '../../fixtures/wait-until';

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim({ timeScale: 0.1, profile: { createServer: [10, 10], startServer: [5, 5] } });
});
afterAll(async () => {
  const checked = await expectConformant(sim);
  if (SPECS_PRESENT) expect(checked).toBeGreaterThan(10);
  await sim.close();
});

/** Reads create_server and start_server together until the server runs. */
async function sample(name: string): Promise<{ create: number; start: number; createRunning: boolean }[]> {
  const created = await createServer(sim, name);
  expect(created.next_actions).toHaveLength(1);
  const ids = `id=${created.action.id}&id=${created.next_actions[0]!.id}`;
  const out: { create: number; start: number; createRunning: boolean }[] = [];
  const startFinished = async () => {
    const { actions } = (await sim.hz('GET', `/actions?${ids}&sort=id`)).json as { actions: { command: string; status: string; progress: number }[] };
    const create = actions.find((a) => a.command === 'create_server')!;
    const start = actions.find((a) => a.command === 'start_server')!;
    if (start.status !== 'running') return true;
    out.push({ create: create.progress, start: start.progress, createRunning: create.status === 'running' });
    return false;
  };
  await waitUntil(startFinished, `start_server of ${name} to finish`);
  return out;
}

describe('simulator progress shapes over HTTP', () => {
  it('defaults to the evidence: start_server reads 0 while create_server runs, then moves', async () => {
    expect(await sim.control.progress()).toMatchObject({ shape: 'realistic' });
    const r = await sample('progress-default');
    const whileCreating = r.filter((x) => x.createRunning);
    expect(whileCreating.length).toBeGreaterThan(5);
    expect(whileCreating.every((x) => x.start === 0)).toBe(true);
    expect(r.some((x) => !x.createRunning && x.start > 0)).toBe(true);
  });

  it('`/_sim/progress` switches the shape for new actions; an unknown shape is a 400 naming the choices', async () => {
    const bad = await fetch(`${sim.url}/_sim/progress`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ shape: 'wobbly' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/shape must be one of realistic, linear, zero, steps, stall, late, ahead/);
    expect(await sim.control.progress()).toMatchObject({ shape: 'realistic' });

    expect(await sim.control.setProgress('zero')).toMatchObject({ shape: 'zero' });
    const zero = await sample('progress-zero');
    expect(zero.length).toBeGreaterThan(5);
    expect(zero.every((x) => (x.createRunning ? x.create === 0 : x.create === 100) && x.start === 0)).toBe(true);

    await sim.control.setProgress('linear');
    const linear = await sample('progress-linear');
    // Linear from the POST: start_server (15 s) is past a fifth of its run while create still runs.
    expect(linear.some((x) => x.createRunning && x.start >= 20)).toBe(true);
    await sim.control.setProgress('realistic');
  });

  it('`outpost sim --progress SHAPE` starts the simulator with that shape', async () => {
    const lines: string[] = [];
    const other = await runSim({ port: 0, json: true, progress: 'steps' }, (l) => lines.push(l));
    try {
      expect(await new SimControl(other.url).progress()).toMatchObject({ shape: 'steps' });
    } finally {
      await other.close();
    }
  });
});
