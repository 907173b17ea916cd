// Scenario 1 (issue 4 item 5): one server, Hetzner part only. The official CLI
// (`hcloud server create … `, Debian hcloud-cli) against Outpost's client (ensureServer + the
// shared ActionWatcher's waitAll over create_server and start_server), each on its own simulator
// started with the same seed, profile and options, so both meet the very same delays.
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
import type { SimControl } from '../../electron/sim/control';
import { actionsOf, hetznerOnly, requestLog, runHcloud, startBenchSim } from '../lib/sim';
import { max, median, round } from '../lib/stats';

export interface HetznerSingleOptions {
  timeScale: number;
  seeds: number[];
}

export interface ClientRun {
  client: 'hcloud-cli' | 'outpost-cold' | 'outpost-warm';
  seed: number;
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
class RecordingHistory extends DurationHistory {
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

export async function runCli(seed: number, timeScale: number): Promise<ClientRun> {
  const bs = await startBenchSim({ timeScale, seed });
  try {
    const name = `bench-${seed}`;
    const res = await runHcloud(bs.sim, ['server', 'create', '--name', name, ...['--type', SERVER.server_type, '--image', SERVER.image, '--location', SERVER.location]]);
    const log = await requestLog(bs.control);
    const { hz, byKind, trace } = summarize(log);
    const post = hz.find((r) => r.method === 'POST');
    const serverId = Number(/Server (\d+) created/.exec(res.stdout)?.[1]);
    if (res.code !== 0 || !post || !Number.isFinite(serverId)) {
      return { client: 'hcloud-cli', seed, ok: false, error: `hcloud exited ${res.code}: ${res.stderr.trim()}`, requests: hz.length, trace, stepMs: NaN, createMs: NaN, latencyMs: NaN, allowedMs: NaN, requestsByKind: byKind };
    }
    const t = await timings(bs.control, serverId, post.ts);
    // The CLI knows start_server is done when the poll answering `success` returns; its next
    // request is the final GET /servers/{id}, sent at once. That GET is the moment it knew.
    const finalGet = [...hz].reverse().find((r) => /\/servers\/\d+$/.test(r.path));
    const knewAt = finalGet?.ts ?? res.exitedAt;
    return {
      client: 'hcloud-cli',
      seed,
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

export async function runOutpost(seed: number, timeScale: number, history: DurationHistory | null): Promise<ClientRun & { samples: [string, number][] }> {
  const bs = await startBenchSim({ timeScale, seed });
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
      { labelSelector: `outpost.job=${name}` },
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

export interface HetznerSingleResult {
  timeScale: number;
  seeds: number[];
  runs: ClientRun[];
  summary: Record<ClientRun['client'], { requestsMedian: number; requestsWorst: number; latencyMsMedian: number; latencyMsWorst: number; worstLatencyOverAllowed: number; stepMsMedian: number }>;
  /** Per seed: Outpost requests / CLI requests, and whether the latency stayed within the allowance. */
  perSeed: { seed: number; stepMs: number; cli: number; cold: number; warm: number; ratioCold: number; ratioWarm: number; coldLatencyOk: boolean; warmLatencyOk: boolean }[];
  sameDelays: boolean;
}

export async function hetznerSingle(opts: HetznerSingleOptions, log: (line: string) => void): Promise<HetznerSingleResult> {
  // Phase A: for every seed, the CLI and a cold Outpost (fresh watcher, nothing learned), each on
  // its own simulator with identical options. Seeds run side by side (separate simulators: no
  // shared rate bucket, no shared state).
  log(`  phase A: hcloud CLI and Outpost (cold) for seeds ${opts.seeds.join(', ')} at time scale ${opts.timeScale}`);
  const phaseA = await Promise.all(opts.seeds.map(async (seed) => Promise.all([runCli(seed, opts.timeScale), runOutpost(seed, opts.timeScale, null)])));
  // Phase B: warm Outpost. A long-running Outpost has learned action durations from earlier
  // creates; here each seed's watcher learns from the cold runs of the *other* seeds only
  // (leave-one-out), so it never knows the durations it is about to meet.
  log('  phase B: Outpost (warm: history learned from the other seeds\' runs)');
  const warm = await Promise.all(
    opts.seeds.map(async (seed) => {
      const history = new DurationHistory();
      for (const [other, [, cold]] of phaseA.map((pair, i) => [opts.seeds[i]!, pair] as const)) {
        if (other === seed) continue;
        for (const [command, ms] of cold.samples) history.record(command, ms);
      }
      return runOutpost(seed, opts.timeScale, history);
    }),
  );
  const runs: ClientRun[] = [];
  const perSeed: HetznerSingleResult['perSeed'] = [];
  let sameDelays = true;
  opts.seeds.forEach((seed, i) => {
    const [cli, cold] = phaseA[i]!;
    const w = warm[i]!;
    const strip = ({ samples: _s, ...rest }: ClientRun & { samples?: unknown }): ClientRun => rest;
    runs.push(cli, strip(cold), strip(w));
    if (cli.ok && (Math.abs(cli.stepMs - cold.stepMs) > 5 || Math.abs(cli.stepMs - w.stepMs) > 5)) sameDelays = false;
    perSeed.push({
      seed,
      stepMs: cold.stepMs,
      cli: cli.requests,
      cold: cold.requests,
      warm: w.requests,
      ratioCold: round(cold.requests / cli.requests),
      ratioWarm: round(w.requests / cli.requests),
      coldLatencyOk: cold.latencyMs <= cold.allowedMs,
      warmLatencyOk: w.latencyMs <= w.allowedMs,
    });
  });
  const summary = {} as HetznerSingleResult['summary'];
  for (const client of ['hcloud-cli', 'outpost-cold', 'outpost-warm'] as const) {
    const rs = runs.filter((r) => r.client === client && r.ok);
    summary[client] = {
      requestsMedian: median(rs.map((r) => r.requests)),
      requestsWorst: max(rs.map((r) => r.requests)),
      latencyMsMedian: round(median(rs.map((r) => r.latencyMs))),
      latencyMsWorst: round(max(rs.map((r) => r.latencyMs))),
      worstLatencyOverAllowed: round(max(rs.map((r) => r.latencyMs / r.allowedMs))),
      stepMsMedian: round(median(rs.map((r) => r.stepMs))),
    };
  }
  return { timeScale: opts.timeScale, seeds: opts.seeds, runs, summary, perSeed, sameDelays };
}
