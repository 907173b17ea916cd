// The full Outpost runtime (the composition the shells use) in sandbox mode, with a chosen seed
// and time scale, plus what the end-to-end scenarios read back: per-VM floors from the
// simulator and per-job timings from the store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRuntime, type Runtime } from '../../electron/boot/runtime';
import type { CloudTuning } from '../../electron/core/clouds';
import { silentLogger } from '../../electron/core/log';
import type { EventSink } from '../../electron/core/ports';
import { MemorySettings } from '../../electron/core/settings';
import type { LoggedRequest } from '../../electron/sim';
import { SimControl, type SimStateView } from '../../electron/sim/control';
import { freshState, generateCredentials } from '../../electron/sim/state';
import { directApi } from '../../test/fixtures/apis';
import { pollUntil } from '../../test/fixtures/wait-until';
import { actionsOf } from './sim';

export interface BenchRuntime {
  runtime: Runtime;
  control: SimControl;
  api: ReturnType<typeof directApi>;
  dataDir: string;
  close(): Promise<void>;
}

/** Events go nowhere: the renderer is not part of these scenarios (and keeping them would skew memory). */
const nullSink: EventSink = { emit: () => undefined };

export async function startBenchRuntime(opts: { seed: number; timeScale: number; tuning?: CloudTuning }): Promise<BenchRuntime> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-bench-rt-'));
  // The sandbox simulator loads its state file when there is one: a fresh state with our seed
  // makes its delays repeatable (the runtime itself takes no seed).
  writeFileSync(path.join(dataDir, 'sandbox-sim.json'), JSON.stringify(freshState(opts.seed, generateCredentials(opts.seed))), { mode: 0o600 });
  const runtime = await startRuntime({
    dataDir,
    events: nullSink,
    settings: new MemorySettings(),
    mode: 'sandbox',
    simTimeScale: opts.timeScale,
    fleetSyncIntervalMs: 0,
    log: silentLogger,
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
  });
  if (!runtime.sim) throw new Error('sandbox runtime without a simulator');
  const control = new SimControl(runtime.sim.url, runtime.sim.controlSecret);
  // The start-up catalog refresh runs in the background: let it land (fetched and stored; images are
  // stored last, in the same transaction) so it is not counted per VM.
  await pollUntil(async () => (await runtime.store.catalog.refreshedAt('image')) !== null, 10_000, 10);
  return {
    runtime,
    control,
    api: directApi(runtime.handlers),
    dataDir,
    close: async () => {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface VmFloor {
  serverId: number;
  postTs: number;
  createMs: number;
  startMs: number;
  enrollMs: number;
  /** create + start + enroll: what the simulator itself spent for this VM. */
  floorMs: number;
  enrolledAt: number;
}

/**
 * When each server's POST arrived. The simulator numbers servers in the order it handles the
 * POSTs and logs each answer right after handling it, so the k-th successful POST (log order) made
 * the k-th server (id order).
 */
export function postTimes(state: SimStateView, log: readonly LoggedRequest[]): Map<number, number> {
  const posts = log.filter((r) => r.api === 'hetzner' && r.method === 'POST' && /\/servers$/.test(r.path.replace(/\?.*$/, '')) && r.status === 201).sort((a, b) => a.seq - b.seq);
  const ids = state.servers.map((s) => s.id).sort((a, b) => a - b);
  if (posts.length !== ids.length) throw new Error(`${posts.length} successful POST /servers for ${ids.length} servers`);
  return new Map(ids.map((id, i) => [id, posts[i]!.ts]));
}

/** The simulator's own delays for the server labelled with this job. */
export function floorOf(state: SimStateView, posts: Map<number, number>, jobId: string): VmFloor {
  const server = state.servers.find((s) => s.labels['outpost.job'] === jobId);
  if (!server) throw new Error(`no server for job ${jobId}`);
  const acts = actionsOf(state, server.id);
  const create = acts.get('create_server');
  const start = acts.get('start_server');
  const enrollAt = server.boot.enrollAt;
  const postTs = posts.get(server.id);
  if (!create || !start || enrollAt === null || postTs === undefined) throw new Error(`server ${server.id} has no create/start/enroll timings (boot ${server.boot.state})`);
  return {
    serverId: server.id,
    postTs,
    createMs: create.finishAtMs - postTs,
    startMs: start.finishAtMs - create.finishAtMs,
    enrollMs: enrollAt - start.finishAtMs,
    floorMs: enrollAt - postTs,
    enrolledAt: enrollAt,
  };
}

export interface JobTiming {
  jobId: string;
  status: string;
  startedAt: number;
  finishedAt: number;
  /** step name → ms (from the job's own step_started / step_succeeded events). */
  steps: Record<string, number>;
}

export async function jobTiming(rt: BenchRuntime, jobId: string, startedAt: number): Promise<JobTiming> {
  const job = await rt.runtime.store.jobs.get(jobId);
  if (!job) throw new Error(`no job ${jobId}`);
  const events = await rt.runtime.store.jobs.events(jobId);
  const steps: Record<string, number> = {};
  const open = new Map<string, number>();
  for (const e of events) {
    if (!e.step) continue;
    if (e.type === 'step_started') open.set(e.step, Date.parse(e.at));
    if (e.type === 'step_succeeded' && open.has(e.step)) steps[e.step] = Date.parse(e.at) - open.get(e.step)!;
  }
  return { jobId, status: job.status, startedAt, finishedAt: job.finishedAt ? Date.parse(job.finishedAt) : NaN, steps };
}
