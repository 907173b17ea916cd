// Crash anywhere (issue 8, DESIGN §9): the real `outpost` command, SIGKILLed at seeded random
// moments during provisions (some paid for), destroys and the resumes that follow them, then
// restarted — with `resume`, or by re-issuing the same payment. Afterwards, against the simulator's
// ground truth and the store files: every job terminal, at most one server per payment (also
// checked continuously while the children run), no orphan server, device or valid key, every
// running instance backed by its server and device, and `PRAGMA integrity_check` clean.
// Reduced (npm test): 4 provisions, 2 destroys, ≥ 6 kills. Full: 20 provisions, 5 destroys, ≥ 25 kills.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/db/store';
import { loadDriver } from '../../electron/core/db/driver';
import { startSimulator, type RunningSimulator } from '../../electron/sim';
import { SimControl, type SimStateView } from '../../electron/sim/control';
import { runOutpost } from '../fixtures/cli-process';
import { endpointsOf } from '../fixtures/pipeline';
import { tempDir } from '../fixtures/temp-dir';
import { FULL, seededRng, settledViolations, sized, sleep, suiteSeed, viewOf, type StoreView } from './support';

const SEED = suiteSeed(8_2_1);
const rng = seededRng(SEED);
const PROVISIONS = sized(4, 20);
const DESTROYS = sized(2, 5);
const MIN_KILLS = sized(6, 25);
const LANES = sized(2, 3);
const CHILD_TIMEOUT_MS = 120_000;

let sim: RunningSimulator;
let control: SimControl;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 0.01, seed: SEED });
  control = new SimControl(sim.url);
});
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

/** Read-only peek into a child's store while it runs (it may not exist yet, or be mid-migration). */
function peek<T>(file: string, read: (db: InstanceType<ReturnType<typeof loadDriver>>) => T, fallback: T): T {
  if (!existsSync(file)) return fallback;
  try {
    const Driver = loadDriver();
    const db = new Driver(file, { readonly: true, fileMustExist: true, timeout: 200 });
    try {
      return read(db);
    } finally {
      db.close();
    }
  } catch {
    return fallback;
  }
}
const eventCount = (file: string) => peek(file, (db) => (db.prepare('SELECT COUNT(*) AS n FROM job_events').get() as { n: number }).n, 0);
const createStarts = (file: string) =>
  peek(file, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM job_events WHERE type = 'step_started' AND step = 'create_server'`).get() as { n: number }).n, 0);

type KillPlan = { kind: 'delay'; ms: number } | { kind: 'events'; n: number; jitterMs: number } | { kind: 'inside_create'; jitterMs: number };
const describePlan = (p: KillPlan) =>
  p.kind === 'delay' ? `${p.ms} ms after spawn` : p.kind === 'events' ? `after ${p.n} new events +${p.jitterMs} ms` : `inside create_server +${p.jitterMs} ms`;

interface Lane {
  index: number;
  dir: string;
  file: string;
  provisions: number;
  destroys: number;
  /** Payment references sent; each must end recorded, fulfilled, with one server. */
  payments: string[];
}

interface Tally {
  kills: number;
  missed: number;
  spawns: number;
  reissues: number;
  log: string[];
  /** Duplicates seen while children ran (a payment or job with two servers at any instant). */
  duplicates: Set<string>;
  childFailures: string[];
}
const tally: Tally = { kills: 0, missed: 0, spawns: 0, reissues: 0, log: [], duplicates: new Set(), childFailures: [] };

function duplicatesIn(state: SimStateView): string[] {
  const found: string[] = [];
  for (const label of ['outpost.payment', 'outpost.job']) {
    const seen = new Map<string, number>();
    for (const s of state.servers) {
      const v = s.labels[label];
      if (v) seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    for (const [v, n] of seen) if (n > 1) found.push(`${label}=${v} had ${n} servers at once`);
  }
  return found;
}

function planKill(kind: 'provision' | 'destroy' | 'resume'): KillPlan {
  const roll = rng();
  const expected = kind === 'provision' ? 15 : 8;
  if (kind === 'provision' && roll < 0.2) return { kind: 'inside_create', jitterMs: rng.int(50, 1_200) };
  if (roll < 0.45) return { kind: 'delay', ms: rng.int(0, kind === 'provision' ? 4_000 : 2_000) };
  return { kind: 'events', n: rng.int(1, expected - 1), jitterMs: rng.int(0, 40) };
}

/** Runs one `outpost` command, SIGKILLing it per `plan`; returns whether the kill landed. */
async function runChild(lane: Lane, args: string[], plan: KillPlan | null, what: string): Promise<{ killed: boolean; code: number | null; out: string }> {
  const baseline = eventCount(lane.file);
  const baseCreates = createStarts(lane.file);
  if (plan?.kind === 'inside_create') {
    // Hold the answer to the POST back (after the server is made) to widen the ambiguous window.
    await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 1_500, phase: 'after', count: 1 });
  }
  const run = runOutpost(lane.dir, endpointsOf(sim), args);
  tally.spawns++;
  let exited = false;
  const done = run.exited.then((r) => {
    exited = true;
    return r;
  });
  const t0 = Date.now();
  let fire: number | null = null;
  let lastStatePoll = 0;
  while (!exited) {
    const now = Date.now();
    if (now - t0 > CHILD_TIMEOUT_MS) {
      run.child.kill('SIGKILL');
      throw new Error(`lane ${lane.index}: ${what} did not finish within ${CHILD_TIMEOUT_MS} ms`);
    }
    if (now - lastStatePoll > 100) {
      lastStatePoll = now;
      duplicatesIn(await control.state()).forEach((d) => tally.duplicates.add(d));
    }
    if (plan && fire === null) {
      if (plan.kind === 'delay') fire = t0 + plan.ms;
      else if (plan.kind === 'events' && eventCount(lane.file) - baseline >= plan.n) fire = now + plan.jitterMs;
      else if (plan.kind === 'inside_create' && createStarts(lane.file) > baseCreates) fire = now + plan.jitterMs;
    }
    if (fire !== null && Date.now() >= fire && !exited) {
      run.child.kill('SIGKILL');
      break;
    }
    await sleep(10);
  }
  const r = await done;
  const killed = r.signal === 'SIGKILL';
  if (killed) tally.kills++;
  else if (plan) tally.missed++;
  tally.log.push(`L${lane.index} ${what}: ${plan ? describePlan(plan) : 'no kill'} -> ${killed ? 'KILLED' : `exit ${r.code}`}`);
  if (!killed && r.code !== 0 && !(args[0] === 'provision' && r.code === 1)) {
    tally.childFailures.push(`L${lane.index} ${what}: exit ${r.code}: ${r.stderr.trim().slice(0, 400)}`);
  }
  return { killed, code: r.code, out: r.stdout + r.stderr };
}

/** After a kill: restart (resume, or the same payment again), possibly killed again, until one run completes. */
async function recover(lane: Lane, reissue: string[] | null, what: string): Promise<void> {
  for (let round = 1; ; round++) {
    const again = round < 3 && rng.chance(0.35);
    const useReissue = reissue !== null && rng.chance(0.5);
    if (useReissue) tally.reissues++;
    const r = await runChild(lane, useReissue ? reissue : ['resume', '--json'], again ? planKill('resume') : null, `${what} restart ${round} (${useReissue ? 'same payment' : 'resume'})`);
    if (!r.killed) return;
  }
}

async function provisionOp(lane: Lane, n: number, forceKill = false): Promise<void> {
  const payment = rng.chance(0.6) ? `PAY-${SEED}-${lane.index}-${n}` : null;
  const args = ['provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', `crash-${lane.index}-${n}`, '--json'];
  if (payment) args.push('--payment', payment, '--customer', `cust-${lane.index}-${n}`, '--amount', '1');
  const what = `provision #${n}${payment ? ` (${payment})` : ''}`;
  const r = await runChild(lane, args, forceKill || rng.chance(0.9) ? planKill('provision') : null, what);
  if (r.killed) await recover(lane, payment ? args : null, what);
  if (payment) lane.payments.push(payment);
  if (payment && !paymentRecorded(lane.file, payment)) {
    // Killed before the payment was recorded: the shop never got an answer, so it sends it again.
    tally.reissues++;
    await runChild(lane, args, null, `${what} re-sent (unacknowledged)`);
  } else if (payment && rng.chance(0.3)) {
    // The shop sends the same payment again later: it must not provision a second VM.
    tally.reissues++;
    await runChild(lane, args, null, `${what} re-sent`);
  }
  lane.provisions++;
}

const paymentRecorded = (file: string, reference: string): boolean =>
  peek(file, (db) => db.prepare('SELECT 1 FROM payments WHERE reference = ?').get(reference) !== undefined, false);

const runningNames = (file: string): string[] =>
  peek(file, (db) => (db.prepare(`SELECT name FROM instances WHERE status = 'running' ORDER BY name`).all() as { name: string }[]).map((r) => r.name), []);
const instanceStatus = (file: string, name: string): { status: string; activeDestroy: boolean; lastDestroy: string | null } =>
  peek(
    file,
    (db) => {
      const row = db.prepare(`SELECT id, status FROM instances WHERE name = ?`).get(name) as { id: string; status: string };
      const jobs = db.prepare(`SELECT status FROM jobs WHERE instance_id = ? AND kind = 'destroy' ORDER BY created_at, rowid`).all(row.id) as { status: string }[];
      return { status: row.status, activeDestroy: jobs.some((j) => ['queued', 'running'].includes(j.status)), lastDestroy: jobs.at(-1)?.status ?? null };
    },
    { status: 'unknown', activeDestroy: false, lastDestroy: null },
  );

async function destroyOp(lane: Lane, n: number): Promise<void> {
  const names = runningNames(lane.file);
  if (names.length === 0) {
    // Nothing enrolled here yet: provision one first (unkilled), so there is something to destroy.
    await runChild(lane, ['provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', `spare-${lane.index}-${n}`, '--json'], null, `spare provision for destroy #${n}`);
    return destroyOp(lane, n);
  }
  const name = rng.pick(names);
  const what = `destroy #${n} (${name})`;
  const r = await runChild(lane, ['destroy', name, '--json'], planKill('destroy'), what);
  if (r.killed) await recover(lane, null, what);
  // Until done: resume a destroy still in progress, run destroy again after a failed (or never started) one.
  for (let attempt = 1; attempt <= 4; attempt++) {
    const s = instanceStatus(lane.file, name);
    if (s.status === 'destroyed') break;
    if (attempt === 4) throw new Error(`lane ${lane.index}: ${name} is still ${s.status} (last destroy ${s.lastDestroy}) after retries`);
    await runChild(lane, s.activeDestroy ? ['resume', '--json'] : ['destroy', name, '--json'], null, `${what} ${s.activeDestroy ? 'resume' : 'again'} (was ${s.status}, last destroy ${s.lastDestroy})`);
  }
  lane.destroys++;
}

/** Spreads the provisions and destroys over the lanes; a lane destroys only after it has provisioned. */
function plans(): ('p' | 'd')[][] {
  const lanes: ('p' | 'd')[][] = Array.from({ length: LANES }, () => []);
  for (let i = 0; i < PROVISIONS; i++) lanes[i % LANES]!.push('p');
  for (let i = 0; i < DESTROYS; i++) {
    const ops = lanes[i % LANES]!;
    ops.splice(rng.int(1, ops.length), 0, 'd');
  }
  return lanes;
}

describe(`crash anywhere (${FULL ? 'full' : 'reduced'})`, () => {
  it(
    'SIGKILLs at random moments, then restarts: every job terminal, nothing duplicated, orphaned or corrupt',
    async () => {
      console.log(`crash anywhere: seed ${SEED} (replay with OUTPOST_RELIABILITY_SEED=${SEED}), ${PROVISIONS} provisions, ${DESTROYS} destroys, ≥ ${MIN_KILLS} kills, ${LANES} lanes`);
      const started = Date.now();
      const laneOps = plans();
      const lanes: Lane[] = laneOps.map((_, index) => {
        const { dir, cleanup } = tempDir(`outpost-crash-${index}-`);
        cleanups.push(cleanup);
        return { index, dir, file: join(dir, 'live.db'), provisions: 0, destroys: 0, payments: [] };
      });
      await Promise.all(
        lanes.map(async (lane) => {
          let n = 0;
          for (const op of laneOps[lane.index]!) {
            n++;
            if (op === 'p') await provisionOp(lane, n);
            else await destroyOp(lane, n);
          }
        }),
      );
      // Top up: a kill that came after the child had finished does not count.
      let extra = 0;
      while (tally.kills < MIN_KILLS && extra < MIN_KILLS) {
        extra++;
        await provisionOp(lanes[extra % LANES]!, 100 + extra, true);
      }
      await control.clearFaults();
      for (const lane of lanes) await runChild(lane, ['resume', '--json'], null, 'final resume');

      // All children have exited: open the stores for real and judge against the clouds.
      const views: StoreView[] = [];
      const jobsPerPayment: string[] = [];
      const failedJobs: string[] = [];
      for (const lane of lanes) {
        const store = Store.open(lane.file);
        try {
          const view = viewOf(`lane ${lane.index}`, store);
          views.push(view);
          for (const ref of lane.payments) if (!view.payments.some((p) => p.reference === ref)) jobsPerPayment.push(`${ref}: sent but never recorded`);
          for (const p of view.payments) {
            const jobs = view.jobs.filter((j) => j.paymentId === p.id);
            if (jobs.length !== 1) jobsPerPayment.push(`${p.reference}: ${jobs.length} jobs`);
          }
          for (const j of view.jobs.filter((x) => x.status === 'failed' || x.status === 'cancelled')) {
            failedJobs.push(`lane ${lane.index} ${j.kind} ${j.id} ${j.status} at ${j.error?.step}: ${j.error?.code}: ${j.error?.message}`);
          }
        } finally {
          store.close();
        }
      }
      const problems = await settledViolations(control, () => views);
      const state = await control.state();
      const jobs = views.flatMap((v) => v.jobs);
      console.log(
        `crash anywhere: ${tally.kills} kills (${tally.missed} planned kills came after the child finished), ${tally.spawns} child runs, ` +
          `${tally.reissues} payment re-sends, ${lanes.reduce((a, l) => a + l.provisions, 0)} provisions (${extra} top-up), ` +
          `${lanes.reduce((a, l) => a + l.destroys, 0)} destroys, ${jobs.length} jobs (${jobs.filter((j) => j.status === 'succeeded').length} succeeded), ` +
          `${views.reduce((a, v) => a + v.payments.length, 0)} payments, ${state.servers.length} servers left running, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      if (process.env.OUTPOST_RELIABILITY_VERBOSE) console.log(tally.log.join('\n'));

      expect(tally.childFailures, 'a run that was not killed failed').toEqual([]);
      expect(tally.kills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(problems, `seed ${SEED}; kills:\n${tally.log.join('\n')}`).toEqual([]);
      expect([...tally.duplicates], `seed ${SEED}`).toEqual([]);
      expect(jobsPerPayment).toEqual([]);
      // No fault was injected: a kill must never turn into a failure (resume from the last step).
      expect(failedJobs, `seed ${SEED}`).toEqual([]);
      expect(views.flatMap((v) => v.payments).filter((p) => p.status !== 'fulfilled')).toEqual([]);
    },
    sized(180_000, 900_000),
  );
});
