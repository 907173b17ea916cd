// Scenario 3 (issue 8 item 1): 100 provisions at once through the pipeline, under Hetzner's rate
// limit, time-scaled. The simulator's bucket is a real-time token bucket; with every simulated
// delay multiplied by the time scale s, the bucket is scaled the same way: capacity 3600 (a count,
// unchanged) and refill 1 per *simulated* second = 1/s per wall second. The enrollment watcher's
// interval (a runtime tuning knob) is scaled by s too; the ActionWatcher's schedule is not
// reachable through the runtime and stays in wall-clock (which makes it poll relatively *less*
// per simulated second — fewer requests, coarser detection — than at scale 1).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { floorOf, jobTiming, postTimes, startBenchRuntime } from '../lib/runtime';
import { count429, hetznerOnly, requestLog, tailscaleOnly } from '../lib/sim';
import { max, median, percentile, round } from '../lib/stats';
import { requestKind } from './e2e-single';

export interface FleetOptions {
  timeScale: number;
  seed: number;
  vms: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const LAG_RESOLUTION_MS = 10;
/** Histogram ns → lag in ms above the sampling interval. */
const lagMs = (ns: number) => round(Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS), 2);

export async function fleet(opts: FleetOptions, log: (line: string) => void) {
  const s = opts.timeScale;
  const enrollmentIntervalMs = Math.round(3000 * s);
  log(`  ${opts.vms} provisions at once, seed ${opts.seed}, time scale ${s}, bucket 3600 refilled ${round(1 / s, 2)}/s wall (= 1/s simulated), enrollment interval ${enrollmentIntervalMs} ms`);
  const rt = await startBenchRuntime({ seed: opts.seed, timeScale: s, tuning: { enrollmentIntervalMs } });
  try {
    await rt.control.setRateLimit({ capacity: 3600, refillPerSecond: 1 / s, remaining: 3600 });
    const since = (await rt.control.requests(0)).lastSeq;
    globalThis.gc?.();
    const memBefore = process.memoryUsage();
    let peakRss = memBefore.rss;
    let peakHeap = memBefore.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 100);
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();

    const startedAt = Date.now();
    const started = await Promise.all(
      Array.from({ length: opts.vms }, (_, i) => {
        const n = String(i + 1).padStart(3, '0');
        return rt.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: `fleet agent ${n}`, name: `fleet-${n}` });
      }),
    );
    const acceptedMs = Date.now() - startedAt;
    await Promise.all(started.map((j) => rt.runtime.runner.settled(j.jobId)));
    const wallMs = Date.now() - startedAt;
    lag.disable();
    clearInterval(sampler);
    const memAfter = process.memoryUsage();

    const [state, all] = await Promise.all([rt.control.state(), requestLog(rt.control)]);
    const logAfter = all.filter((r) => r.seq > since);
    const posts = postTimes(state, all);
    const timings = await Promise.all(started.map((j) => jobTiming(rt, j.jobId, startedAt)));
    const succeeded = timings.filter((t) => t.status === 'succeeded');
    const floors = succeeded.map((t) => floorOf(state, posts, t.jobId));
    const perVmOverhead = succeeded.map((t, i) => t.finishedAt - startedAt - floors[i]!.floorMs);
    const floorFleetMs = max(floors.map((f) => f.floorMs));
    const lastFinish = max(succeeded.map((t) => t.finishedAt));
    const hz = hetznerOnly(logAfter);
    const ts = tailscaleOnly(logAfter);
    const byKind: Record<string, number> = {};
    for (const r of logAfter) byKind[requestKind(r)] = (byKind[requestKind(r)] ?? 0) + 1;
    const postSpreadMs = max([...posts.values()]) - Math.min(...posts.values());
    const minRemaining = (await rt.control.state()).rateLimit;
    // Hetzner's RateLimit-Remaining as the bucket would have been at its lowest: replay the log.
    let tokens = 3600;
    let last = startedAt;
    let lowest = 3600;
    for (const r of hz) {
      tokens = Math.min(3600, tokens + ((r.ts - last) / 1000) * (1 / s));
      last = r.ts;
      tokens -= 1;
      lowest = Math.min(lowest, tokens);
    }
    return {
      timeScale: s,
      seed: opts.seed,
      vms: opts.vms,
      rateLimit: { capacity: 3600, refillPerSecondWall: round(1 / s, 3), refillPerSecondSimulated: 1 },
      enrollmentIntervalMs,
      enrolled: succeeded.length,
      failed: timings.filter((t) => t.status !== 'succeeded').map((t) => ({ jobId: t.jobId, status: t.status })),
      http429: count429(logAfter),
      requests: { hetzner: hz.length, tailscale: ts.length, total: logAfter.length, byKind },
      requestsPerVm: round(logAfter.length / opts.vms, 2),
      hetznerPerVm: round(hz.length / opts.vms, 2),
      tailscalePerVm: round(ts.length / opts.vms, 2),
      bucketLowestEstimate: Math.floor(lowest),
      bucketAtEnd: minRemaining,
      acceptedMs,
      postSpreadMs,
      wallMs,
      lastFinishMs: lastFinish - startedAt,
      floorFleetMs,
      floorPerVmMsMedian: round(median(floors.map((f) => f.floorMs))),
      overheadFleetMs: lastFinish - startedAt - floorFleetMs,
      perVmOverheadMs: { p50: round(percentile(perVmOverhead, 50)), p95: round(percentile(perVmOverhead, 95)), max: round(max(perVmOverhead)) },
      // The histogram measures timer-to-timer delay, which includes the sampling resolution itself.
      eventLoopLagMs: { p50: lagMs(lag.percentile(50)), p99: lagMs(lag.percentile(99)), max: lagMs(lag.max), resolutionMs: LAG_RESOLUTION_MS },
      memoryMb: {
        rssBefore: mb(memBefore.rss),
        rssAfter: mb(memAfter.rss),
        rssPeak: mb(peakRss),
        heapUsedBefore: mb(memBefore.heapUsed),
        heapUsedAfter: mb(memAfter.heapUsed),
        heapUsedPeak: mb(peakHeap),
      },
      note: 'The simulator runs in the same process as Outpost, so lag and memory include it.',
    };
  } finally {
    await rt.close();
  }
}
