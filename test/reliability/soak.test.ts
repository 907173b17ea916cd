// Soak (issue 8, DESIGN §9): many provisions and destroys through one in-process Outpost, a few at
// a time, against a fast simulator in its own process (so the memory measured is Outpost's). Every
// job must succeed (no fault is injected), the invariants must hold against the simulator's state
// at the end, and memory must stay flat: heap and RSS are reported before and after (after a forced
// GC when --expose-gc is on); only a generous bound on heap growth per operation is asserted.
// Some provisions come from payments, a few of them recorded twice at once (one VM each).
// Reduced (npm test): 30 provisions + destroys. Full: 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL, CountingSink, hasGc, memory, seededRng, settledViolations, sized, startExternalSim, startRelHarness, suiteSeed, viewOf, type ExternalSim, type RelHarness } from './support';

const SEED = suiteSeed(8_2_3);
const OPS = sized(30, 500);
const CONCURRENCY = sized(10, 16);
const WARMUP = Math.min(20, Math.floor(OPS / 3));
const TIME_SCALE = 0.005;

let extSim: ExternalSim;
let h: RelHarness;
const sink = new CountingSink();

beforeAll(async () => {
  // A bucket no soak can drain: this run is about leaks and invariants, not rate limits.
  extSim = await startExternalSim({ timeScale: TIME_SCALE, seed: SEED, rateLimit: '1000000:100000' });
  h = await startRelHarness({
    external: { url: extSim.url, endpoints: extSim.endpoints },
    events: sink,
    tuning: { requestTimeoutMs: 10_000 },
    pipeline: { runningTimeoutMs: 120_000, enrolledTimeoutMs: 120_000, compensationTimeoutMs: 120_000 },
  });
});
afterAll(async () => {
  await h?.close();
  await extSim?.close();
});

describe(`soak (${FULL ? 'full' : 'reduced'})`, () => {
  it(
    `${OPS} provisions and destroys, ${CONCURRENCY} at a time: all succeed, invariants hold, memory stays flat`,
    async () => {
      const rng = seededRng(SEED);
      const failures: string[] = [];
      const duplicatePayments: string[] = [];
      let next = 0;
      let completed = 0;
      let base: ReturnType<typeof memory> | null = null;
      const samples: string[] = [];
      const started = Date.now();
      const before = memory();

      const one = async (i: number) => {
        let jobId: string;
        let instanceId: string;
        const paid = rng.chance(0.3);
        if (paid) {
          const req = { reference: `SOAK-${SEED}-${i}`, customer: `soak-${i}`, amount: 1, currency: 'EUR', plan: 'cx22', region: rng.pick(['fsn1', 'nbg1', 'hel1']), image: 'ubuntu-24.04' };
          // Now and then the shop's webhook fires twice at once.
          const twice = rng.chance(0.2);
          const results = await Promise.all((twice ? [req, req] : [req]).map((r) => h.api.call('payments:record', r)));
          if (results.filter((r) => r.created).length !== 1) duplicatePayments.push(`${req.reference}: created ${results.filter((r) => r.created).length} times`);
          jobId = results[0]!.payment.jobId!;
          instanceId = results[0]!.payment.instanceId!;
        } else {
          ({ jobId, instanceId } = await h.api.call('provision:start', { region: rng.pick(['fsn1', 'nbg1', 'hel1']), serverType: 'cx22', image: 'ubuntu-24.04', agentName: `soak ${i}` }));
        }
        const job = await h.settle(jobId);
        if (job.status !== 'succeeded') {
          failures.push(`provision ${i} ${job.status}: ${JSON.stringify(job.error)}`);
          return;
        }
        const instance = h.runtime.store.instances.get(instanceId)!;
        const { jobId: destroyId } = await h.api.call('instances:destroy', { instanceId, confirmName: instance.name });
        const destroyed = await h.settle(destroyId);
        if (destroyed.status !== 'succeeded') failures.push(`destroy ${i} ${destroyed.status}: ${JSON.stringify(destroyed.error)}`);
      };

      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < OPS; i = next++) {
            await one(i);
            completed++;
            if (completed === WARMUP) base = memory();
            if (completed % 100 === 0) {
              const m = memory();
              samples.push(`${completed}: heap ${m.heapUsedMb.toFixed(1)} MB, rss ${m.rssMb.toFixed(1)} MB`);
            }
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      await h.runtime.runner.idle();
      const after = memory();
      const measured = OPS - WARMUP;
      const growthMb = after.heapUsedMb - base!.heapUsedMb;
      const perOpKb = (growthMb * 1024) / measured;
      console.log(
        `soak: seed ${SEED}, ${OPS} provisions + ${OPS} destroys, ${CONCURRENCY} at a time, time scale ${TIME_SCALE}, ${seconds.toFixed(1)} s ` +
          `(${(OPS / seconds).toFixed(1)} VMs/s), ${sink.count} events emitted, GC ${hasGc() ? 'forced' : 'not exposed (numbers include garbage)'}\n` +
          `  memory: start heap ${before.heapUsedMb.toFixed(1)} MB / rss ${before.rssMb.toFixed(1)} MB; after ${WARMUP} warm-up ops heap ${base!.heapUsedMb.toFixed(1)} MB / rss ${base!.rssMb.toFixed(1)} MB; ` +
          `end heap ${after.heapUsedMb.toFixed(1)} MB / rss ${after.rssMb.toFixed(1)} MB; heap growth ${growthMb.toFixed(2)} MB over ${measured} ops = ${perOpKb.toFixed(1)} KB/op` +
          (samples.length ? `\n  samples: ${samples.join('; ')}` : ''),
      );

      expect(failures, `seed ${SEED}`).toEqual([]);
      expect(duplicatePayments).toEqual([]);
      const view = viewOf('soak', h.runtime.store);
      expect(view.instances.filter((i) => i.status !== 'destroyed').map((i) => `${i.name} ${i.status}`)).toEqual([]);
      expect(await settledViolations(extSim.control, () => [viewOf('soak', h.runtime.store)])).toEqual([]);
      const state = await extSim.control.state();
      expect({ servers: state.servers.length, devices: state.devices.length, validKeys: state.keys.filter((k) => !k.invalid).length }).toEqual({ servers: 0, devices: 0, validKeys: 0 });
      // Memory: only with a forced GC is the number about live objects; the bound is generous
      // (a leak of a job's events or timers per operation would be several KB each).
      if (hasGc()) expect(growthMb, `heap grew ${perOpKb.toFixed(1)} KB/op`).toBeLessThan(16 + (measured * 64) / 1024);
    },
    sized(120_000, 900_000),
  );
});
