// The team scenario (issue 16 item 8): the team server, two `outpost serve` processes on one PostgreSQL
// database, as a team would run them: a throwaway cluster (test/fixtures/postgres.ts), one simulated
// cloud (`outpost sim`) at a fixed time scale, an operator's API token, and the built command.
//
// Two phases, each on a fresh database and a fresh simulator with the same seed (so both draw the
// same delays, in the order the POSTs arrive): N provisions at once through one process, then the
// same N spread over two (alternating A, B). Throughput = N / (first call → last job finished).
// Meanwhile a browser-like client follows each process's event stream; in the two-process phase,
// every event of a job run by the *other* process reaches it through LISTEN/NOTIFY and a read of the
// committed row (core/event-relay.ts): its delay = received − the event's `at` (taken by the running
// process just before its transaction), so it includes that commit, the notice, the relay's read and
// the SSE write. Events of a job to the browsers of its own process are the baseline.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Store } from '../../electron/core/db/store';
import { SimControl } from '../../electron/sim/control';
import { ensureBuild } from '../../scripts/ensure-build.mjs';
import { isTerminalStatus } from '../../shared/domain';
import { createDatabase, startPostgres, type PostgresCluster } from '../../test/fixtures/postgres';
import { tempDir } from '../../test/fixtures/temp-dir';
import { selfSignedCertificate, type TestCertificate } from '../../test/fixtures/tls';
import { pollUntil, waitUntil } from '../../test/fixtures/wait-until';
import { hetznerOnly, requestLog, tailscaleOnly, count429 } from '../lib/sim';
import { max, median, percentile, round } from '../lib/stats';
import { cpuMs, follow, outpostJson, postgresCpuMs, serve, startSim, stop, type Child, type Received, type TeamServer } from '../lib/team';

export interface TeamOptions {
  timeScale: number;
  seed: number;
  /** Provisions started at once in each phase. */
  provisions: number;
}

/** Hetzner's bucket refills one request per second (3600 an hour): the sustained ceiling once its 3600 are spent. */
const HETZNER_REFILL_PER_MINUTE = 60;
/** `outpost serve`'s defaults, not scaled with the simulator (the command has no knob for them). */
const ENROLLMENT_POLL_MS = 3000;
const LEASE_SECONDS = 30;

const load1 = () => round(loadavg()[0]!, 2);

interface Latency {
  events: number;
  medianMs: number;
  p95Ms: number;
  worstMs: number;
}

const delayOf = (r: Received): number => r.receivedAt - r.at!;
/** The events in the order they happened, split in two halves. */
function halves(rs: Received[]): [Received[], Received[]] {
  const sorted = [...rs].sort((a, b) => a.at! - b.at!);
  return [sorted.slice(0, Math.floor(sorted.length / 2)), sorted.slice(Math.floor(sorted.length / 2))];
}
const latency = (values: number[]): Latency => ({ events: values.length, medianMs: round(median(values), 1), p95Ms: round(percentile(values, 95), 1), worstMs: round(max(values), 1) });

interface Ctx {
  opts: TeamOptions;
  cluster: PostgresCluster;
  cert: TestCertificate;
  dir: string;
  log: (line: string) => void;
}

async function phase(processes: 1 | 2, ctx: Ctx) {
  const { opts, log } = ctx;
  const s = opts.timeScale;
  const database = await createDatabase(ctx.cluster.url);
  const children: Child[] = [];
  const followers: { close(): void }[] = [];
  let store: Store | null = null;
  try {
    const sim = await startSim(['--time-scale', String(s), '--seed', String(opts.seed), '--rate-limit', `3600:${1 / s}`, '--progress', 'realistic']);
    children.push(sim.process);
    const control = new SimControl(sim.controlUrl);
    const env = { OUTPOST_DATABASE_URL: database.url };
    const usersDir = path.join(ctx.dir, `users-${processes}`);
    mkdirSync(usersDir);
    await outpostJson(['--data-dir', usersDir, 'users', 'add', 'bench', '--role', 'operator', '--json'], env);
    const { token } = await outpostJson<{ token: string }>(['--data-dir', usersDir, 'users', 'token', 'bench', '--label', 'bench', '--json'], env);

    const servers: TeamServer[] = [];
    for (const name of ['A', 'B'].slice(0, processes)) {
      const dataDir = path.join(ctx.dir, `serve-${processes}-${name}`);
      mkdirSync(dataDir);
      const server = await serve(name, dataDir, database.url, sim, ctx.cert);
      children.push(server.process);
      servers.push(server);
    }
    store = await Store.open({ engine: 'postgres', url: database.url });
    const st = store;
    // Each process refreshes the catalog at start, in the background: let it land and the simulator go quiet.
    await waitUntil(async () => (await st.catalog.refreshedAt('image')) !== null, 'the start-up catalog refresh', 30_000);
    let seen = -1;
    await pollUntil(async () => {
      const last = (await control.requests(0)).lastSeq;
      const quiet = last === seen;
      seen = last;
      return quiet;
    }, 20_000, 500);

    const received: Received[] = [];
    const terminal = new Set<string>();
    for (const server of servers) {
      const f = follow(server, token, ctx.cert, (r) => {
        received.push(r);
        if (isTerminalStatus(r.status)) terminal.add(r.jobId);
      });
      followers.push(f);
      await f.attached;
    }
    const pids = servers.map((x) => x.process.child.pid!);
    const pgPort = Number(new URL(ctx.cluster.url).port);
    const cpuBefore = { serve: cpuMs(pids), postgres: postgresCpuMs(pgPort) };
    const loadBefore = load1();
    const since = (await control.requests(0)).lastSeq;

    log(`  ${processes} process${processes === 1 ? '' : 'es'}: ${opts.provisions} provisions at once${processes === 2 ? ', alternating A and B' : ' through A'}`);
    const t0 = Date.now();
    const started = await Promise.all(
      Array.from({ length: opts.provisions }, async (_, i) => {
        const via = servers[i % processes]!;
        const n = String(i + 1).padStart(3, '0');
        const reply = await via.client.rpcWithToken(token, 'provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: `team bench ${n}`, name: `team-${n}` });
        if (reply.json?.ok !== true) throw new Error(`provision:start through ${via.name} refused: ${reply.status} ${reply.json?.error?.code ?? ''} ${reply.json?.error?.message ?? ''}`);
        return { jobId: (reply.json.data as { jobId: string }).jobId, via: via.name };
      }),
    );
    const acceptedMs = Date.now() - t0;
    const timeoutMs = 120_000 + 600_000 * s;
    await waitUntil(() => started.every((j) => terminal.has(j.jobId)), () => `every job to end (${terminal.size} of ${started.length} did)`, timeoutMs);
    const cpuAfter = { serve: cpuMs(pids), postgres: postgresCpuMs(pgPort) };
    const loadAfter = load1();

    const jobs = await Promise.all(started.map(async (j) => ({ ...j, job: (await st.jobs.get(j.jobId))! })));
    // What the browsers of a job's own process were sent (the events published one by one: the few a
    // job is created with are announced together, as its first row) must reach the other process's too.
    const runBy = new Map(started.map((j) => [j.jobId, j.via]));
    const key = (server: string, jobId: string, seq: number) => `${server} ${jobId} ${seq}`;
    const events = () => received.filter((r) => r.at !== null); // at null: a job's first announcement, before any event of its own
    const expectedCross = () =>
      events()
        .filter((r) => runBy.get(r.jobId) === r.server)
        .flatMap((r) => servers.filter((x) => x.name !== r.server).map((x) => key(x.name, r.jobId, r.seq)));
    await pollUntil(() => {
      const got = new Set(events().map((r) => key(r.server, r.jobId, r.seq)));
      return expectedCross().every((k) => got.has(k));
    }, 10_000, 50);

    const first = new Map<string, Received>();
    let duplicates = 0;
    for (const r of events()) {
      const k = key(r.server, r.jobId, r.seq);
      if (first.has(k)) duplicates++;
      else first.set(k, r);
    }
    const delays = { local: [] as Received[], cross: [] as Received[] };
    for (const r of first.values()) delays[runBy.get(r.jobId) === r.server ? 'local' : 'cross'].push(r);
    const crossExpected = new Set(expectedCross()).size;

    const [state, all] = await Promise.all([control.state(), requestLog(control)]);
    const logAfter = all.filter((r) => r.seq > since);
    const succeeded = jobs.filter((j) => j.job.status === 'succeeded');
    const finishedAt = (j: (typeof jobs)[number]) => Date.parse(j.job.finishedAt!);
    const wallMs = max(succeeded.map(finishedAt)) - t0;
    // When the simulated cloud itself was done with each VM (boot + `tailscale up`), and how long after that its job ended.
    const enrolledAt = new Map(state.servers.filter((x) => x.boot.enrollAt !== null).map((x) => [x.labels['outpost.job'], x.boot.enrollAt!]));
    const afterCloud = succeeded.filter((j) => enrolledAt.has(j.jobId)).map((j) => finishedAt(j) - enrolledAt.get(j.jobId)!);
    const cloudDoneMs = max(succeeded.map((j) => enrolledAt.get(j.jobId) ?? NaN)) - t0;
    const hetznerPerVm = hetznerOnly(logAfter).length / opts.provisions;
    const perMinuteWall = (succeeded.length / wallMs) * 60_000;
    return {
      processes,
      provisions: opts.provisions,
      via: Object.fromEntries(servers.map((x) => [x.name, started.filter((j) => j.via === x.name).length])),
      succeeded: succeeded.length,
      failed: jobs.filter((j) => j.job.status !== 'succeeded').map((j) => ({ jobId: j.jobId, status: j.job.status })),
      acceptedMs,
      wallMs,
      perMinuteWall: round(perMinuteWall, 1),
      /** The same rate in simulated minutes (wall rate × time scale): what these cloud delays at full length would give. */
      perMinuteSimulated: round(perMinuteWall * s, 2),
      cloudDoneMs,
      afterCloudMs: { p50: round(median(afterCloud)), p95: round(percentile(afterCloud, 95)), max: round(max(afterCloud)) },
      requestsPerVm: { hetzner: round(hetznerPerVm, 2), tailscale: round(tailscaleOnly(logAfter).length / opts.provisions, 2) },
      http429: count429(logAfter),
      rateLimitCeilingPerMinute: round(HETZNER_REFILL_PER_MINUTE / hetznerPerVm, 2),
      cpuMsPerProvision: { serve: round((cpuAfter.serve - cpuBefore.serve) / opts.provisions, 1), postgres: round((cpuAfter.postgres - cpuBefore.postgres) / opts.provisions, 1) },
      load1: { before: loadBefore, after: loadAfter },
      /** Events per job its own process's browsers were sent (median). */
      eventsPerJob: round(median(started.map((j) => [...first.values()].filter((r) => r.jobId === j.jobId && r.server === j.via).length)), 1),
      fanOut: {
        local: latency(delays.local.map(delayOf)),
        cross: latency(delays.cross.map(delayOf)),
        // Most of a phase's events come in a burst (every job's first steps at once), the rest spread
        // over the cloud's delays: the delays of the earlier and the later half of the events, by `at`.
        localByHalf: halves(delays.local).map((h) => latency(h.map(delayOf))),
        crossByHalf: halves(delays.cross).map((h) => latency(h.map(delayOf))),
        /** When the last event of the earlier half happened, from the first call. */
        earlierHalfWithinMs: round(max(halves(delays.cross.length ? delays.cross : delays.local)[0].map((r) => r.at!)) - t0),
        crossExpected,
        duplicates,
      },
    };
  } finally {
    followers.forEach((f) => f.close());
    await store?.close();
    // The servers first (they hold the database and call the simulator), the simulator last.
    for (const c of [...children].reverse()) await stop(c);
    await database.drop();
  }
}

export async function teamServer(opts: TeamOptions, log: (line: string) => void) {
  const build = ensureBuild({ log: (line) => log(`  ${line}`) });
  log(`  the \`outpost\` command: ${build.built ? `built in ${round(build.ms / 1000, 1)} s` : 'already built'}`);
  const cluster = await startPostgres();
  log(`  PostgreSQL up in ${cluster.startedInMs} ms; time scale ${opts.timeScale}, seed ${opts.seed}`);
  const { dir, cleanup } = tempDir('outpost-bench-team-');
  try {
    const ctx: Ctx = { opts, cluster, cert: selfSignedCertificate(dir), dir, log };
    const one = await phase(1, ctx);
    const two = await phase(2, ctx);
    return {
      timeScale: opts.timeScale,
      seed: opts.seed,
      provisions: opts.provisions,
      enrollmentPollMs: ENROLLMENT_POLL_MS,
      leaseSeconds: LEASE_SECONDS,
      rateLimit: { capacity: 3600, refillPerSecondWall: round(1 / opts.timeScale, 3), refillPerSecondSimulated: 1 },
      phases: [one, two],
    };
  } finally {
    await cluster.stop();
    cleanup();
  }
}
