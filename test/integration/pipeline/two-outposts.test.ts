// Two Outposts (two stores) sharing one Hetzner project: the same payment recorded on both
// provisions once. The database constraint cannot see across machines; the cloud label does. One
// keeps its store in a SQLite file, the other in a PostgreSQL database: the label works across engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import { directApi } from '../../fixtures/apis';
import { ENGINES, storeLocation } from '../../fixtures/engines';
import { endpointsOf, FAST_PIPELINE, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';

let sim: RunningSimulator;
const runtimes: Runtime[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 5 });
  for (const [i, engine] of ENGINES.entries()) {
    const { dir, cleanup } = tempDir(`outpost-machine-${i}-`);
    cleanups.push(cleanup);
    // SQLite in the data directory (the runtime's default); PostgreSQL in a database of its own.
    const database = engine === 'postgres' ? await storeLocation(engine) : null;
    if (database) cleanups.push(() => database.cleanup());
    runtimes.push(
      await startRuntime({
        dataDir: dir,
        ...(database ? { storeLocation: database.location } : {}),
        events: new MemoryEventSink(),
        settings: new MemorySettings(),
        mode: 'live',
        endpoints: endpointsOf(sim),
        log: silentLogger,
        fleetSyncIntervalMs: 0,
        tuning: { enrollmentIntervalMs: 50, backoffBaseMs: 20, requestTimeoutMs: 2_000 },
        pipeline: FAST_PIPELINE,
      }),
    );
  }
});
afterAll(async () => {
  for (const r of runtimes) await r.close();
  await sim.close();
  for (const c of cleanups) await c();
});

const payment = { reference: 'INV-SHARED-7', customer: 'Globex', amount: 19, currency: 'EUR', plan: 'cx22', region: 'fsn1' };

describe('two Outposts sharing a Hetzner project', () => {
  it('record the same payment at the same time: exactly one server, the other job fails and cleans up', async () => {
    const [a, b] = await Promise.all(runtimes.map((r) => directApi(r.handlers).call('payments:record', payment)));
    expect(a!.created && b!.created).toBe(true); // each store is alone: both accept it
    const jobs = await Promise.all([runtimes[0]!.runner.settled(a!.payment.jobId!), runtimes[1]!.runner.settled(b!.payment.jobId!)]);
    const statuses = jobs.map((j) => j?.status).sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    const loser = jobs.find((j) => j?.status === 'failed')!;
    expect(loser.error).toMatchObject({ step: 'create_server', code: 'payment_already_provisioned' });
    const state = await new SimControl(sim.url).state();
    expect(state.servers.filter((s) => s.labels['outpost.payment'] === 'INV-SHARED-7' && s.status !== 'deleting')).toHaveLength(1);
    expect(state.keys.filter((k) => !k.invalid)).toEqual([]);
  });
});
