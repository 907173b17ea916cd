// Scenario 1b (issue 13 item 4): N creates at once through one ActionWatcher, whose ticks read
// every pending action in one batched `GET /actions?id=…` per 25 ids. Requests per VM at N = 1,
// 10 and 100, cold and warm, at time scale 1 on the default (realistic) progress shape; each N on
// its own simulator. Latency per VM = waitAll resolved − its start_server's completion.
import { ActionWatcher } from '../../electron/core/fleet/action-watcher';
import { DurationHistory } from '../../electron/core/fleet/duration-history';
import { HetznerClient } from '../../electron/core/hetzner';
import { actionsOf, hetznerOnly, requestLog, startBenchSim } from '../lib/sim';
import { max, median, round } from '../lib/stats';

export interface FleetWatchOptions {
  timeScale: number;
  seed: number;
  sizes: number[];
}

export interface FleetWatchRun {
  n: number;
  warm: boolean;
  /** Every Hetzner request of the run: N POSTs (each a job's first create) and the watcher's polls. */
  requests: number;
  requestsPerVm: number;
  pollsPerVm: number;
  ticks: number;
  latencyMsMedian: number;
  latencyMsWorst: number;
  late: number;
}

const allowed = (stepMs: number) => Math.max(1000, 0.1 * stepMs);

async function runFleet(n: number, seed: number, timeScale: number, history: DurationHistory | null): Promise<FleetWatchRun> {
  const bs = await startBenchSim({ timeScale, seed, rateLimit: { capacity: 3600, refillPerSecond: 1 } });
  try {
    const hetzner = new HetznerClient({ token: bs.sim.credentials.hetznerToken, baseUrl: bs.sim.hetznerUrl });
    const watcher = new ActionWatcher({ actions: hetzner.actions, budget: hetzner.budget, history: history ?? new DurationHistory() });
    const knew = new Map<number, number>();
    const postAt = new Map<number, number>();
    await Promise.all(
      [...Array(n)].map(async (_, i) => {
        const name = `fleet-${seed}-${i}`;
        const created = await hetzner.servers.ensureServer(
          { name, server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1', labels: { 'outpost.managed': 'true', 'outpost.job': name }, start_after_create: true },
          { labelSelector: `outpost.job=${name}`, firstPost: true },
        );
        postAt.set(created.server.id, Date.now());
        await watcher.waitAll(created.actions);
        knew.set(created.server.id, Date.now());
      }),
    );
    const hz = hetznerOnly(await requestLog(bs.control));
    const state = await bs.control.state();
    const late: number[] = [];
    const latencies = [...knew].map(([serverId, at]) => {
      const acts = actionsOf(state, serverId);
      const start = acts.get('start_server')!;
      const latency = at - start.finishAtMs;
      // Step from when the POST had answered (a little after it arrived: a slightly smaller allowance).
      if (latency > allowed(start.finishAtMs - postAt.get(serverId)!)) late.push(serverId);
      return latency;
    });
    const polls = hz.filter((r) => r.method === 'GET' && r.path.includes('/actions?')).length;
    return {
      n,
      warm: history !== null,
      requests: hz.length,
      requestsPerVm: round(hz.length / n, 2),
      pollsPerVm: round(polls / n, 2),
      ticks: watcher.stats.ticks,
      latencyMsMedian: round(median(latencies)),
      latencyMsWorst: round(max(latencies)),
      late: late.length,
    };
  } finally {
    await bs.close();
  }
}

/** `learned`: durations from earlier creates (scenario 1's cold runs), for the warm runs. */
export async function fleetWatch(opts: FleetWatchOptions, learned: [string, number][], log: (line: string) => void): Promise<{ timeScale: number; seed: number; runs: FleetWatchRun[]; lookupFirst: boolean }> {
  log(`  cold: N = ${opts.sizes.join(', ')} creates at once, one watcher each N`);
  const cold = await Promise.all(opts.sizes.map((n) => runFleet(n, opts.seed, opts.timeScale, null)));
  log('  warm: the same, the watcher starting with durations learned in scenario 1');
  const warm = await Promise.all(
    opts.sizes.map((n) => {
      const h = new DurationHistory();
      for (const [command, ms] of learned) h.record(command, ms);
      return runFleet(n, opts.seed + 1, opts.timeScale, h);
    }),
  );
  return { timeScale: opts.timeScale, seed: opts.seed, runs: [...cold, ...warm], lookupFirst: false };
}
