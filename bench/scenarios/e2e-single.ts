// Scenario 2 (issue 8 item 1): one full provision through the pipeline — reserve, mint key,
// render user-data, create, wait running, wait enrolled, activate — in the sandbox runtime, against
// the simulator's floor for that VM: its own create + start + boot/enroll delays. Everything above
// the floor is Outpost's overhead (its own work plus detection latency of each wait).
import type { LoggedRequest } from '../../electron/sim';
import { floorOf, jobTiming, postTimes, startBenchRuntime, type JobTiming, type VmFloor } from '../lib/runtime';
import { count429, hetznerOnly, requestLog, tailscaleOnly } from '../lib/sim';
import { max, median, round } from '../lib/stats';

export interface E2eOptions {
  timeScale: number;
  seeds: number[];
}

export interface E2eRun {
  seed: number;
  ok: boolean;
  status: string;
  e2eMs: number;
  floor: VmFloor;
  overheadMs: number;
  /** max(1 s, 5 % of the floor), wall ms. */
  allowedMs: number;
  steps: JobTiming['steps'];
  hetznerRequests: number;
  tailscaleRequests: number;
  requestsByKind: Record<string, number>;
  http429: number;
}

export interface E2eResult {
  timeScale: number;
  seeds: number[];
  runs: E2eRun[];
  summary: {
    e2eMsMedian: number;
    floorMsMedian: number;
    overheadMsMedian: number;
    overheadMsWorst: number;
    overheadPctMedian: number;
    overheadPctWorst: number;
    worstOverheadOverAllowed: number;
    requestsPerVmMedian: number;
    hetznerPerVmMedian: number;
    tailscalePerVmMedian: number;
  };
}

export function requestKind(r: LoggedRequest): string {
  const p = r.path.replace(/\?.*$/, '').replace(/^\/(hetzner\/v1|tailscale)/, '');
  const generic = p.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/keys\/[^/]+$/, '/keys/{id}').replace(/\/device\/[^/]+$/, '/device/{id}');
  return `${r.api === 'hetzner' ? 'hz' : 'ts'} ${r.method} ${generic}${r.path.includes('label_selector') ? '?label_selector' : r.path.includes('id=') ? '?id=' : ''}`;
}

export async function e2eSingleRun(seed: number, timeScale: number): Promise<E2eRun> {
  const rt = await startBenchRuntime({ seed, timeScale });
  try {
    const since = (await rt.control.requests(0)).lastSeq;
    const startedAt = Date.now();
    const { jobId } = await rt.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: `bench agent ${seed}`, name: `e2e-${seed}` });
    await rt.runtime.runner.settled(jobId);
    const timing = await jobTiming(rt, jobId, startedAt);
    const [state, all] = await Promise.all([rt.control.state(), requestLog(rt.control)]);
    const log = all.filter((r) => r.seq > since);
    const floor = floorOf(state, postTimes(state, all), jobId);
    const e2eMs = timing.finishedAt - startedAt;
    const requestsByKind: Record<string, number> = {};
    for (const r of log) requestsByKind[requestKind(r)] = (requestsByKind[requestKind(r)] ?? 0) + 1;
    return {
      seed,
      ok: timing.status === 'succeeded',
      status: timing.status,
      e2eMs,
      floor,
      overheadMs: e2eMs - floor.floorMs,
      allowedMs: Math.max(1000, 0.05 * floor.floorMs),
      steps: timing.steps,
      hetznerRequests: hetznerOnly(log).length,
      tailscaleRequests: tailscaleOnly(log).length,
      requestsByKind,
      http429: count429(log),
    };
  } finally {
    await rt.close();
  }
}

export async function e2eSingle(opts: E2eOptions, log: (line: string) => void): Promise<E2eResult> {
  log(`  ${opts.seeds.length} provisions (seeds ${opts.seeds.join(', ')}), each in its own runtime and simulator, side by side, time scale ${opts.timeScale}`);
  const runs = await Promise.all(opts.seeds.map((seed) => e2eSingleRun(seed, opts.timeScale)));
  const ok = runs.filter((r) => r.ok);
  return {
    timeScale: opts.timeScale,
    seeds: opts.seeds,
    runs,
    summary: {
      e2eMsMedian: round(median(ok.map((r) => r.e2eMs))),
      floorMsMedian: round(median(ok.map((r) => r.floor.floorMs))),
      overheadMsMedian: round(median(ok.map((r) => r.overheadMs))),
      overheadMsWorst: round(max(ok.map((r) => r.overheadMs))),
      overheadPctMedian: round(median(ok.map((r) => (100 * r.overheadMs) / r.floor.floorMs)), 2),
      overheadPctWorst: round(max(ok.map((r) => (100 * r.overheadMs) / r.floor.floorMs)), 2),
      worstOverheadOverAllowed: round(max(ok.map((r) => r.overheadMs / r.allowedMs))),
      requestsPerVmMedian: median(ok.map((r) => r.hetznerRequests + r.tailscaleRequests)),
      hetznerPerVmMedian: median(ok.map((r) => r.hetznerRequests)),
      tailscalePerVmMedian: median(ok.map((r) => r.tailscaleRequests)),
    },
  };
}
