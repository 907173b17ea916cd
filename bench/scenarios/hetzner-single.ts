// Scenario 1 (issue 4 item 5, issue 13): one server, Hetzner part only, on every progress shape
// the simulator offers. The official CLI (`hcloud server create … `, Debian hcloud-cli) against
// Outpost's client (ensureServer + the shared ActionWatcher's waitAll over create_server and
// start_server), each on its own simulator started with the same seed, profile, progress shape
// and options, so both meet the very same delays and the very same progress readings.
//
// Detection latency = the moment the client knew the server was running − the simulator's
// completion time of start_server (its scheduled `finishAtMs`; the simulator applies it lazily
// before any request, so it is exact). Both clients poll in wall-clock time and the simulator's
// timestamps are wall-clock, so the latency is measured in wall-clock milliseconds; in simulated
// seconds it is that divided by the time scale.
import { ActionWatcher } from '../../electron/core/fleet/action-watcher';
import { DurationHistory } from '../../electron/core/fleet/duration-history';
import { HetznerClient } from '../../electron/core/hetzner';
import type { LoggedRequest } from '../../electron/sim';
import type { ProgressShape } from '../../electron/sim/hetzner/progress';
import type { SimControl } from '../../electron/sim/control';
import { actionsOf, hetznerOnly, requestLog, runHcloud, startBenchSim } from '../lib/sim';
import { max, median, round } from '../lib/stats';

export interface HetznerSingleOptions {
  timeScale: number;
  seeds: number[];
  shapes: ProgressShape[];
}

export interface ClientRun {
  client: 'hcloud-cli' | 'outpost-cold' | 'outpost-warm';
  seed: number;
  shape: ProgressShape;
  ok: boolean;
  error?: string;
  requests: number;
  /** Method + path of each request, in order (shows the polling pattern). */
  trace: string[];
  /** Wall ms from the POST to start_server's completion (the step this wait covers). */
  stepMs: number;
  createMs: number;
  /** Wall ms: knew − start_server completion. */
  latencyMs: number;
  /** The allowed latency for this step: max(1 s, 10 % of the step), wall ms. */
  allowedMs: number;
  /** CLI only: when its process exited, relative to start_server's completion. */
  exitLatencyMs?: number;
  requestsByKind: Record<string, number>;
}

const SERVER = { server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1' } as const;

/** Keeps what the watcher learned in a run, so another run can start from it (the warm case). */
export class RecordingHistory extends DurationHistory {
  readonly samples: [string, number][] = [];
  override record(command: string, durationMs: number): void {
    this.samples.push([command, durationMs]);
    super.record(command, durationMs);
  }
}

function kindOf(r: LoggedRequest): string {
  const p = r.path.replace(/\?.*$/, '');
  if (r.method === 'POST') return 'POST /servers';
  if (p.endsWith('/actions') && r.path.includes('id=')) return 'GET /actions?id=';
  if (/\/actions\/\d+$/.test(p)) return 'GET /actions/{id}';
  if (/\/servers\/\d+$/.test(p)) return 'GET /servers/{id}';
  if (p.endsWith('/servers')) return 'GET /servers?…';
  if (p.endsWith('/images')) return 'GET /images?name=';
  return `${r.method} ${p.replace(/^.*\/v1/, '')}`;
}

function summarize(log: LoggedRequest[]) {
  const hz = hetznerOnly(log);
  const byKind: Record<string, number> = {};
  for (const r of hz) byKind[kindOf(r)] = (byKind[kindOf(r)] ?? 0) + 1;
  const trace = hz.map((r) => `${r.method} ${r.path.replace(/^\/hetzner\/v1/, '')}`);
  return { hz, byKind, trace };
}

async function timings(control: SimControl, serverId: number, postTs: number) {
  const state = await control.state();
  const acts = actionsOf(state, serverId);
  const create = acts.get('create_server');
  const start = acts.get('start_server');
  if (!create || !start) throw new Error(`simulator has no create/start actions for server ${serverId}`);
  return { createDone: create.finishAtMs, startDone: start.finishAtMs, createMs: create.finishAtMs - postTs, stepMs: start.finishAtMs - postTs };
}

const allowed = (stepMs: number) => Math.max(1000, 0.1 * stepMs);

export async function runCli(seed: number, timeScale: number, shape: ProgressShape): Promise<ClientRun> {
  const bs = await startBenchSim({ timeScale, seed, profile: { progress: shape } });
  try {
    const name = `bench-${seed}`;
    const res = await runHcloud(bs.sim, ['server', 'create', '--name', name, ...['--type', SERVER.server_type, '--image', SERVER.image, '--location', SERVER.location]]);
    const log = await requestLog(bs.control);
    const { hz, byKind, trace } = summarize(log);
    const post = hz.find((r) => r.method === 'POST');
    const serverId = Number(/Server (\d+) created/.exec(res.stdout)?.[1]);
    if (res.code !== 0 || !post || !Number.isFinite(serverId)) {
      return { client: 'hcloud-cli', seed, shape, ok: false, error: `hcloud exited ${res.code}: ${res.stderr.trim()}`, requests: hz.length, trace, stepMs: NaN, createMs: NaN, latencyMs: NaN, allowedMs: NaN, requestsByKind: byKind };
    }
    const t = await timings(bs.control, serverId, post.ts);
    // The CLI knows start_server is done when the poll answering `success` returns; its next
    // request is the final GET /servers/{id}, sent at once. That GET is the moment it knew.
    const finalGet = [...hz].reverse().find((r) => /\/servers\/\d+$/.test(r.path));
    const knewAt = finalGet?.ts ?? res.exitedAt;
    return {
      client: 'hcloud-cli',
      seed,
      shape,
      ok: true,
      requests: hz.length,
      trace,
      stepMs: t.stepMs,
      createMs: t.createMs,
      latencyMs: knewAt - t.startDone,
      allowedMs: allowed(t.stepMs),
      exitLatencyMs: res.exitedAt - t.startDone,
      requestsByKind: byKind,
    };
  } finally {
    await bs.close();
  }
}

export async function runOutpost(seed: number, timeScale: number, shape: ProgressShape, history: DurationHistory | null): Promise<ClientRun & { samples: [string, number][] }> {
  const bs = await startBenchSim({ timeScale, seed, profile: { progress: shape } });
  const client = history ? 'outpost-warm' : 'outpost-cold';
  const recording = new RecordingHistory();
  try {
    const hetzner = new HetznerClient({ token: bs.sim.credentials.hetznerToken, baseUrl: bs.sim.hetznerUrl });
    const watcher = new ActionWatcher({ actions: hetzner.actions, budget: hetzner.budget, history: history ?? recording });
    const name = `bench-${seed}`;
    const created = await hetzner.servers.ensureServer(
      {
        name,
        ...SERVER,
        labels: { 'outpost.managed': 'true', 'outpost.job': name },
        start_after_create: true,
        public_net: { enable_ipv4: true, enable_ipv6: true },
      },
      // As the pipeline sends a job's first create: the POST alone (nothing can carry the label yet).
      { labelSelector: `outpost.job=${name}`, firstPost: true },
    );
    await watcher.waitAll(created.actions);
    const knewAt = Date.now();
    const log = await requestLog(bs.control);
    const { hz, byKind, trace } = summarize(log);
    const post = hz.find((r) => r.method === 'POST')!;
    const t = await timings(bs.control, created.server.id, post.ts);
    return {
      client,
      seed,
      shape,
      ok: true,
      requests: hz.length,
      trace,
      stepMs: t.stepMs,
      createMs: t.createMs,
      latencyMs: knewAt - t.startDone,
      allowedMs: allowed(t.stepMs),
      requestsByKind: byKind,
      samples: recording.samples,
    };
  } finally {
    await bs.close();
  }
}

export interface RunSummary {
  requestsMedian: number;
  requestsWorst: number;
  latencyMsMedian: number;
  latencyMsWorst: number;
  worstLatencyOverAllowed: number;
  /** Detections later than the allowance. */
  late: number;
  runs: number;
}

export interface ShapeSummary {
  cli: RunSummary;
  cold: RunSummary & { ratioMedian: number; ratioWorst: number };
  warm: RunSummary & { ratioMedian: number; ratioWorst: number };
}

export interface HetznerSingleResult {
  timeScale: number;
  seeds: number[];
  shapes: ProgressShape[];
  runs: ClientRun[];
  byShape: Record<string, ShapeSummary>;
  /** Per seed and shape: requests of each client, Outpost / CLI ratios, step and allowance. */
  perRun: { seed: number; shape: ProgressShape; stepMs: number; allowedMs: number; cli: number; cold: number; warm: number; ratioCold: number; ratioWarm: number; cliLatencyMs: number; coldLatencyMs: number; warmLatencyMs: number }[];
  /** The cold runs' learned durations (realistic shape first), for scenarios that start warm. */
  learned: [string, number][];
  sameDelays: boolean;
  /** Outpost's create looked its label up before the POST (a resumed create); false: a job's first create, the POST alone. */
  lookupFirst: boolean;
}

function summarizeRuns(rs: ClientRun[]): RunSummary {
  const ok = rs.filter((r) => r.ok);
  return {
    requestsMedian: median(ok.map((r) => r.requests)),
    requestsWorst: max(ok.map((r) => r.requests)),
    latencyMsMedian: round(median(ok.map((r) => r.latencyMs))),
    latencyMsWorst: round(max(ok.map((r) => r.latencyMs))),
    worstLatencyOverAllowed: round(max(ok.map((r) => r.latencyMs / r.allowedMs))),
    late: ok.filter((r) => r.latencyMs > r.allowedMs).length + (rs.length - ok.length),
    runs: rs.length,
  };
}

const strip = ({ samples: _s, ...rest }: ClientRun & { samples?: unknown }): ClientRun => rest;

export async function hetznerSingle(opts: HetznerSingleOptions, log: (line: string) => void): Promise<HetznerSingleResult> {
  const cases = opts.shapes.flatMap((shape) => opts.seeds.map((seed) => ({ shape, seed })));
  // Phase A: the CLI for every seed and shape, side by side (separate simulators: no shared rate
  // bucket, no shared state). Alone in its phase, so its 2 requests/s per run do not load the
  // process that measures Outpost's latency.
  log(`  phase A: hcloud CLI, seeds ${opts.seeds.join(', ')} × shapes ${opts.shapes.join(', ')} at time scale ${opts.timeScale}`);
  const cli = await Promise.all(cases.map((c) => runCli(c.seed, opts.timeScale, c.shape)));
  // Phase B: a cold Outpost (fresh watcher, nothing learned) for every seed and shape.
  log('  phase B: Outpost cold (nothing learned)');
  const cold = await Promise.all(cases.map((c) => runOutpost(c.seed, opts.timeScale, c.shape, null)));
  // Phase C: warm Outpost. A long-running Outpost has learned action durations from earlier
  // creates; here each run's watcher learns from the cold runs of the *other* seeds of its shape
  // only (leave-one-out), so it never knows the durations it is about to meet.
  log('  phase C: Outpost warm (durations learned from the other seeds\' cold runs)');
  const warm = await Promise.all(
    cases.map((c) => {
      const history = new DurationHistory();
      cases.forEach((o, i) => {
        if (o.shape !== c.shape || o.seed === c.seed) return;
        for (const [command, ms] of cold[i]!.samples) history.record(command, ms);
      });
      return runOutpost(c.seed, opts.timeScale, c.shape, history);
    }),
  );
  const runs: ClientRun[] = [];
  const perRun: HetznerSingleResult['perRun'] = [];
  let sameDelays = true;
  cases.forEach((c, i) => {
    const [k, o, w] = [cli[i]!, cold[i]!, warm[i]!];
    runs.push(k, strip(o), strip(w));
    if (k.ok && (Math.abs(k.stepMs - o.stepMs) > 5 || Math.abs(k.stepMs - w.stepMs) > 5)) sameDelays = false;
    perRun.push({
      seed: c.seed,
      shape: c.shape,
      stepMs: o.stepMs,
      allowedMs: o.allowedMs,
      cli: k.requests,
      cold: o.requests,
      warm: w.requests,
      ratioCold: round(o.requests / k.requests),
      ratioWarm: round(w.requests / k.requests),
      cliLatencyMs: round(k.latencyMs),
      coldLatencyMs: round(o.latencyMs),
      warmLatencyMs: round(w.latencyMs),
    });
  });
  const byShape: Record<string, ShapeSummary> = {};
  for (const shape of opts.shapes) {
    const of = (client: ClientRun['client']) => runs.filter((r) => r.shape === shape && r.client === client);
    const ratios = (k: 'ratioCold' | 'ratioWarm') => perRun.filter((p) => p.shape === shape).map((p) => p[k]);
    byShape[shape] = {
      cli: summarizeRuns(of('hcloud-cli')),
      cold: { ...summarizeRuns(of('outpost-cold')), ratioMedian: round(median(ratios('ratioCold'))), ratioWorst: round(max(ratios('ratioCold'))) },
      warm: { ...summarizeRuns(of('outpost-warm')), ratioMedian: round(median(ratios('ratioWarm'))), ratioWorst: round(max(ratios('ratioWarm'))) },
    };
  }
  const order = [...cases.keys()].sort((a, b) => Number(cases[b]!.shape === 'realistic') - Number(cases[a]!.shape === 'realistic'));
  const learned = order.flatMap((i) => cold[i]!.samples);
  return { timeScale: opts.timeScale, seeds: opts.seeds, shapes: opts.shapes, runs, byShape, perRun, learned, sameDelays, lookupFirst: false };
}
