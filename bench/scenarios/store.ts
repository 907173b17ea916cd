// Scenario 4 (issue 8 item 1): the store at scale. 10 000 instances (with their agents and
// provision jobs) and 200 000 job events, written through the repositories in one transaction,
// then `instances:list` through the same dispatch the shells use (the request is validated; dispatch
// does not validate responses) and, for comparison, the bare repository query. The UI part (Fleet
// render / filter in Chromium) is the e2e suite's; its numbers are read from test-artifacts/e2e/fleet-perf.json when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRuntime } from '../../electron/boot/runtime';
import { Store } from '../../electron/core/db/store';
import { newId } from '../../electron/core/ids';
import { silentLogger } from '../../electron/core/log';
import { MemorySettings } from '../../electron/core/settings';
import { directApi } from '../../test/fixtures/apis';
import { percentile, round } from '../lib/stats';
import { timeRuns } from '../lib/timing';

export interface StoreOptions {
  instances: number;
  eventsPerJob: number;
  runs: number;
}

const REGIONS = ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin'];
const STEPS = ['reserve', 'mint_key', 'render_user_data', 'create_server', 'wait_running', 'wait_enrolled', 'activate'];

function fileSize(file: string): number {
  return ['', '-wal', '-shm'].reduce((total, suffix) => total + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0);
}

async function seed(store: Store, opts: StoreOptions): Promise<{ instances: number; events: number; ms: number }> {
  const t0 = performance.now();
  const base = Date.parse('2026-01-01T00:00:00Z');
  let events = 0;
  await store.transaction(async (tx) => {
    // Counted afresh on each run of the callback (PostgreSQL may run a transaction again).
    events = 0;
    for (let i = 0; i < opts.instances; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      const agentId = newId('agt');
      const instanceId = newId('ins');
      const jobId = newId('job');
      const name = `vm-${String(i).padStart(5, '0')}`;
      const region = REGIONS[i % REGIONS.length]!;
      await tx.agents.insert({ id: agentId, name: `agent ${i}`, customer: `customer-${i % 700}`, at });
      await tx.instances.insert({ id: instanceId, name, agentId, jobId, region, serverType: 'cx22', image: 'ubuntu-24.04', hostname: name, monthlyPriceGross: '4.5101000000', at });
      await tx.jobs.insert({ id: jobId, kind: 'provision', instanceId, paymentId: null, params: { name, region, serverType: 'cx22', image: 'ubuntu-24.04' }, at });
      const failed = i % 20 === 0;
      for (let k = 0; k < opts.eventsPerJob; k++) {
        const when = new Date(base + i * 60_000 + k * 2000).toISOString();
        const step = STEPS[Math.min(STEPS.length - 1, Math.floor(k / 3))]!;
        const type = k === 0 ? 'job_created' : k === opts.eventsPerJob - 1 ? 'job_finished' : k % 3 === 1 ? 'step_started' : k % 3 === 2 ? 'step_succeeded' : 'note';
        await tx.jobs.appendEvent(jobId, { type, step: type === 'job_created' || type === 'job_finished' ? null : step, durationMs: type === 'step_succeeded' ? 1500 + k : null, data: { message: `event ${k} of ${jobId}`, serverId: 4_300_000_000 + i } }, when);
        events += 1;
      }
      await tx.jobs.update(jobId, { status: failed ? 'failed' : 'succeeded', finishedAt: at }, at);
      await tx.instances.update(
        instanceId,
        failed
          ? { status: 'failed' }
          : { status: 'running', serverId: 4_300_000_000 + i, publicIpv4: `203.0.${(i >> 8) & 255}.${i & 255}`, tailnetIp: `100.64.${(i >> 8) & 255}.${i & 255}`, enrollment: 'online', nodeId: `n${i}CNTRL` },
        at,
      );
      await tx.agents.setStatus(agentId, failed ? 'failed' : 'active', at);
    }
  });
  return { instances: opts.instances, events, ms: performance.now() - t0 };
}

const dist = (xs: number[]) => ({ p50: round(percentile(xs, 50), 2), p95: round(percentile(xs, 95), 2), max: round(Math.max(...xs), 2) });

export async function storeAtScale(opts: StoreOptions, log: (line: string) => void) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-bench-store-'));
  try {
    const file = path.join(dataDir, 'sandbox.db');
    log(`  seeding ${opts.instances} instances and ${opts.instances * opts.eventsPerJob} job events through the repositories (one transaction)`);
    const seeding = await Store.open(file);
    const seeded = await seed(seeding, opts);
    // The file size below is the database's own, not a WAL still waiting to be checkpointed.
    seeding.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    await seeding.close();
    const bytes = fileSize(file);

    // The same composition the shells use, over the seeded file (sandbox mode reads sandbox.db).
    const runtime = await startRuntime({ dataDir, events: { emit: () => undefined }, settings: new MemorySettings(), mode: 'sandbox', simTimeScale: 1, fleetSyncIntervalMs: 0, log: silentLogger, resume: false });
    try {
      const api = directApi(runtime.handlers);
      const all = await api.call('instances:list', {});
      const viaChannel = await timeRuns(opts.runs, () => api.call('instances:list', {}));
      const viaChannelFiltered = await timeRuns(opts.runs, () => api.call('instances:list', { search: 'customer-42', status: ['running'] }));
      const repoOnly = await timeRuns(opts.runs, () => runtime.store.instances.list());
      const jobTimeline = await timeRuns(opts.runs, () => runtime.store.jobs.events(all[Math.floor(all.length / 2)]!.jobId!));
      return {
        instances: seeded.instances,
        jobEvents: seeded.events,
        seedMs: round(seeded.ms),
        fileBytes: bytes,
        fileMb: round(bytes / 1024 / 1024, 1),
        listedRows: all.length,
        runs: opts.runs,
        instancesListMs: dist(viaChannel),
        instancesListFilteredMs: dist(viaChannelFiltered),
        repositoryListMs: dist(repoOnly),
        jobTimelineMs: dist(jobTimeline),
        ui: readUiPerf(),
      };
    } finally {
      await runtime.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The Fleet page with 10,000 instances in Debian's Chromium: the e2e measurement
 * (test/e2e/fleet-10k.test.ts) run here, its numbers read from the file it writes.
 */
function readUiPerf(): { source: string; data: unknown } | null {
  const file = path.resolve('test-artifacts/e2e/fleet-10k-metrics.json');
  rmSync(file, { force: true });
  const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts'], { stdio: 'ignore' });
  const run = build.status === 0 ? spawnSync('npx', ['vitest', 'run', '--project', 'e2e', 'test/e2e/fleet-10k.test.ts'], { stdio: 'ignore' }) : build;
  if (run.status !== 0 || !existsSync(file)) return null;
  try {
    return { source: path.relative(process.cwd(), file), data: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch {
    return null;
  }
}
