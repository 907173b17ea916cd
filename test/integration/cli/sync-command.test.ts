// `outpost sync` and `outpost list` on a second desktop (another data directory, same project and
// tailnet): the sync adopts the VM the first desktop provisioned and prints its report; list shows
// the VM with its origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { runOutpost } from '../../fixtures/cli-process';
import { endpointsOf, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';

let sim: RunningSimulator;
const dirs: { dir: string; cleanup: () => void }[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 16 });
  dirs.push(tempDir('outpost-sync-a-'), tempDir('outpost-sync-b-'));
});
afterAll(async () => {
  await sim.close();
  dirs.forEach((d) => d.cleanup());
});

const run = (desktop: 0 | 1, ...args: string[]) => runOutpost(dirs[desktop]!.dir, endpointsOf(sim), args).exited;

describe('outpost sync', () => {
  it('on a second desktop adopts the first one\'s VM, reports it, and list shows where it came from', async () => {
    const provisioned = await run(0, 'provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', 'cli bot', '--json');
    expect(provisioned.code, provisioned.stderr).toBe(0);
    const vm = (JSON.parse(provisioned.stdout.trim().split('\n').at(-1)!) as { instance: { name: string; serverId: number } }).instance;

    const synced = await run(1, 'sync', '--json');
    expect(synced.code, synced.stderr).toBe(0);
    const report = JSON.parse(synced.stdout) as { mode: string; adopted: string[]; drifted: string[]; destroyed: string[]; unowned: unknown[]; updated: number; pending: number; devices: string };
    expect(report).toMatchObject({ mode: 'live', drifted: [], destroyed: [], unowned: [], pending: 0, devices: 'ok', updated: 1 });
    expect(report.adopted).toHaveLength(1);

    const list = JSON.parse((await run(1, 'list', '--json')).stdout) as { instances: { id: string; name: string; serverId: number; origin: string; originStore: string; agentName: string }[] };
    expect(list.instances).toEqual([expect.objectContaining({ id: report.adopted[0], name: vm.name, serverId: vm.serverId, origin: 'adopted', agentName: 'cli bot' })]);
    expect(list.instances[0]!.originStore).toMatch(/^[0-9a-f]{16}$/);
    const own = JSON.parse((await run(0, 'list', '--json')).stdout) as { instances: { origin: string; originStore: string }[] };
    expect(own.instances).toEqual([expect.objectContaining({ origin: 'local', originStore: list.instances[0]!.originStore })]);

    const text = await run(1, 'sync');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^live mode · /);
    expect(text.stdout).toMatch(/0 adopted, 0 destroyed elsewhere, 0 drifted, 0 unowned/);
    const table = await run(1, 'list');
    expect(table.stdout).toContain(`adopted from ${list.instances[0]!.originStore}`);
  });
});
