// `outpost provision --count N`: one group of N VMs from one command, and the combinations it refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { runOutpost } from '../../fixtures/cli-process';
import { endpointsOf, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => void;
const outpost = (...args: string[]) => runOutpost(dir, endpointsOf(sim), args).exited;
const plan = ['--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'fleet bot'];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 5 });
  ({ dir, cleanup } = tempDir('outpost-cli-count-'));
});
afterAll(async () => {
  await sim.close();
  cleanup();
});

describe('outpost provision --count', () => {
  it('provisions N VMs as one group and exits 0 once every one enrolled', async () => {
    const run = await outpost('provision', ...plan, '--count', '3', '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ok: boolean; groupId: string; vms: { job: { status: string; groupId: string }; instance: { name: string } }[] };
    expect(result.ok).toBe(true);
    expect(result.groupId).toMatch(/^grp_/);
    expect(result.vms.map((v) => [v.job.status, v.job.groupId])).toEqual(Array(3).fill(['succeeded', result.groupId]));
    expect(new Set(result.vms.map((v) => v.instance.name)).size).toBe(3);
  });

  it('refuses --count with --payment or --name, and a count outside 1–50, naming --count', async () => {
    for (const extra of [
      ['--count', '2', '--payment', 'INV-9', '--customer', 'ACME', '--amount', '9.90'],
      ['--count', '2', '--name', 'one-name'],
      ['--count', '51'],
      ['--count', '0'],
    ]) {
      const run = await outpost('provision', ...plan, ...extra);
      expect(run.code, extra.join(' ')).not.toBe(0);
      expect(run.stderr, extra.join(' ')).toMatch(/--count/);
    }
    const list = JSON.parse((await outpost('list', '--json')).stdout) as { instances: unknown[] };
    expect(list.instances).toHaveLength(3);
  });
});
