// Crash anywhere (issue 8, DESIGN §9; issue 12): the real `outpost` command, SIGKILLed during
// provisions (some paid for), destroys and the resumes that follow them, then restarted — with
// `resume`, or by re-issuing the same payment. Kills land at kill points (kill-points.ts): the
// child's first request to an endpoint, held before or after it takes effect; the seed picks them,
// and every run crashes at least once in each ambiguous window, so a rerun of a seed crashes at the
// same points and counts the same figures. Each lane has its own simulator, so a lane's clouds hold
// only its own servers, devices and keys, and after every operation (its kills and resumes done)
// the lane is judged against its simulator's ground truth: every job terminal, at most one server
// per payment (also checked continuously while children run), no orphan server, device or valid
// key, every running instance backed by its server and device, `PRAGMA integrity_check` clean. The
// simulators keep keys and offline devices for 30 minutes (COMPRESSED_STEPS), longer than the run.
// Reduced (npm test): 4 provisions, 2 destroys, ≥ 6 kills. Full: 20 provisions, 5 destroys, ≥ 25 kills.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/core/db/store';
import { loadDriver } from '../../electron/core/db/driver';
import { startSimulator, type RunningSimulator } from '../../electron/sim';
import { SimControl, type SimStateView } from '../../electron/sim/control';
import { runOutpost } from '../fixtures/cli-process';
import { endpointsOf } from '../fixtures/pipeline';
import { tempDir } from '../fixtures/temp-dir';
import { pollUntil } from '../fixtures/wait-until';
import { AMBIGUOUS_PROVISION_POINTS, DESTROY_POINTS, PROVISION_POINTS, RESUME_POINTS, armKill, describeKill, type KillPoint } from './kill-points';
import { recordFigures } from './results';
import { COMPRESSED_STEPS, FULL, evidenceProblems, invariantViolations, seededRng, sized, suiteSeed, viewOf, type Rng, type StoreView } from './support';

const SEED = suiteSeed(8_2_1);
const PROVISIONS = sized(4, 20);
const DESTROYS = sized(2, 5);
const MIN_KILLS = sized(6, 25);
const LANES = sized(2, 3);
const CHILD_TIMEOUT_MS = 120_000;

const sims: RunningSimulator[] = [];
const cleanups: (() => void)[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
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

interface Lane {
  index: number;
  dir: string;
  file: string;
  sim: RunningSimulator;
  control: SimControl;
  /** The lane's own dice, so how lanes interleave cannot change what each one decides. */
  rng: Rng;
  /** Ambiguous kill points this lane still owes the run (forced on its next provisions). */
  owed: KillPoint[];
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
  cycleChecks: number;
  landed: Set<string>;
  log: string[];
  /** Duplicates seen while children ran (a payment or job with two servers at any instant). */
  duplicates: Set<string>;
  childFailures: string[];
  /** Invariant violations found after an operation, each naming the lane and the operation. */
  cycleProblems: string[];
}
const tally: Tally = { kills: 0, missed: 0, spawns: 0, reissues: 0, cycleChecks: 0, landed: new Set(), log: [], duplicates: new Set(), childFailures: [], cycleProblems: [] };

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

function planKill(lane: Lane, kind: 'provision' | 'paid provision' | 'destroy' | 'resume'): KillPoint {
  if (kind === 'destroy') return lane.rng.pick(DESTROY_POINTS);
  if (kind === 'resume') return lane.rng.pick(RESUME_POINTS);
  const owed = lane.owed.shift();
  if (owed) return owed;
  // Only a paid provision is killed at spawn: the shop, never answered, sends the payment again.
  if (kind === 'paid provision' && lane.rng.chance(0.1)) return { kind: 'spawn' };
  return lane.rng.pick(PROVISION_POINTS);
}

/** Runs one `outpost` command, SIGKILLing it at `plan`; returns whether the kill landed. */
async function runChild(lane: Lane, args: string[], plan: KillPoint | null, what: string): Promise<{ killed: boolean; code: number | null }> {
  const armed = plan ? await armKill(lane.control, plan) : null;
  const run = runOutpost(lane.dir, endpointsOf(lane.sim), args);
  tally.spawns++;
  let exited = false;
  const done = run.exited.then((r) => {
    exited = true;
    return r;
  });
  let lastStatePoll = 0;
  // Until the child ends or the armed kill point is hit (then killed there); duplicates are sampled meanwhile.
  const endedOrKilled = async () => {
    if (exited) return true;
    if (Date.now() - lastStatePoll > 100) {
      lastStatePoll = Date.now();
      duplicatesIn(await lane.control.state()).forEach((d) => tally.duplicates.add(d));
    }
    if (armed && (await armed.hit())) {
      run.child.kill('SIGKILL');
      return true;
    }
    return false;
  };
  try {
    if (!(await pollUntil(endedOrKilled, CHILD_TIMEOUT_MS, 10))) {
      run.child.kill('SIGKILL');
      throw new Error(`lane ${lane.index}: ${what} did not finish within ${CHILD_TIMEOUT_MS} ms`);
    }
  } finally {
    await armed?.disarm();
  }
  const r = await done;
  const killed = r.signal === 'SIGKILL';
  if (killed) {
    tally.kills++;
    tally.landed.add(describeKill(plan!));
  } else if (plan) tally.missed++;
  tally.log.push(`L${lane.index} ${what}: ${plan ? `kill ${describeKill(plan)}` : 'no kill'} -> ${killed ? 'KILLED' : `exit ${r.code}`}`);
  if (!killed && r.code !== 0 && !(args[0] === 'provision' && r.code === 1)) {
    tally.childFailures.push(`L${lane.index} ${what}: exit ${r.code}: ${r.stderr.trim().slice(0, 400)}`);
  }
  return { killed, code: r.code };
}

/** After a kill: restart (resume, or the same payment again), possibly killed again, until one run completes. */
async function recover(lane: Lane, reissue: string[] | null, what: string): Promise<void> {
  for (let round = 1; ; round++) {
    const again = round < 3 && lane.rng.chance(0.35);
    const useReissue = reissue !== null && lane.rng.chance(0.5);
    if (useReissue) tally.reissues++;
    const r = await runChild(lane, useReissue ? reissue : ['resume', '--json'], again ? planKill(lane, 'resume') : null, `${what} restart ${round} (${useReissue ? 'same payment' : 'resume'})`);
    if (!r.killed) return;
  }
}

/** The invariants for one lane, against its own simulator, once no child of the lane runs. */
async function checkLane(lane: Lane, after: string, runStartedMs: number): Promise<string[]> {
  const view = async (): Promise<StoreView[]> => {
    if (!existsSync(lane.file)) return [];
    const store = await Store.open(lane.file);
    try {
      return [await viewOf(`lane ${lane.index}`, store)];
    } finally {
      await store.close();
    }
  };
  const views = await view();
  // A delete action still finishing is the only transient difference: poll briefly before judging.
  let state = await lane.control.state();
  let problems = invariantViolations(state, views);
  if (problems.length) await pollUntil(async () => (problems = invariantViolations((state = await lane.control.state()), views)).length === 0, 5_000, 100);
  problems.push(...evidenceProblems(state, runStartedMs));
  tally.cycleChecks++;
  return problems.map((p) => `after ${after}: ${p}`);
}

async function provisionOp(lane: Lane, n: number, forceKill = false): Promise<string> {
  const payment = lane.rng.chance(0.6) ? `PAY-${SEED}-${lane.index}-${n}` : null;
  const args = ['provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', `crash-${lane.index}-${n}`, '--json'];
  if (payment) args.push('--payment', payment, '--customer', `cust-${lane.index}-${n}`, '--amount', '1');
  const what = `provision #${n}${payment ? ` (${payment})` : ''}`;
  const kill = forceKill || lane.owed.length > 0 || lane.rng.chance(0.9);
  const r = await runChild(lane, args, kill ? planKill(lane, payment ? 'paid provision' : 'provision') : null, what);
  if (r.killed) await recover(lane, payment ? args : null, what);
  if (payment) lane.payments.push(payment);
  if (payment && !paymentRecorded(lane.file, payment)) {
    // Killed before the payment was recorded: the shop never got an answer, so it sends it again.
    tally.reissues++;
    await runChild(lane, args, null, `${what} re-sent (unacknowledged)`);
  } else if (payment && lane.rng.chance(0.3)) {
    // The shop sends the same payment again later: it must not provision a second VM.
    tally.reissues++;
    await runChild(lane, args, null, `${what} re-sent`);
  }
  lane.provisions++;
  return what;
}

const paymentRecorded = (file: string, reference: string): boolean =>
  peek(file, (db) => db.prepare('SELECT 1 FROM payments WHERE reference = ?').get(reference) !== undefined, false);

/** Oldest first, so the seed picks the same instance on every run (names are random). */
const runningNames = (file: string): string[] =>
  peek(file, (db) => (db.prepare(`SELECT name FROM instances WHERE status = 'running' ORDER BY created_at, rowid`).all() as { name: string }[]).map((r) => r.name), []);
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

async function destroyOp(lane: Lane, n: number): Promise<string> {
  const names = runningNames(lane.file);
  if (names.length === 0) {
    // Nothing enrolled here yet: provision one first (unkilled), so there is something to destroy.
    await runChild(lane, ['provision', '--region', 'fsn1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--agent', `spare-${lane.index}-${n}`, '--json'], null, `spare provision for destroy #${n}`);
    return destroyOp(lane, n);
  }
  const name = lane.rng.pick(names);
  const what = `destroy #${n} (${name})`;
  const r = await runChild(lane, ['destroy', name, '--json'], planKill(lane, 'destroy'), what);
  if (r.killed) await recover(lane, null, what);
  // Until done: resume a destroy still in progress, run destroy again after a failed (or never started) one.
  for (let attempt = 1; attempt <= 4; attempt++) {
    const s = instanceStatus(lane.file, name);
    if (s.status === 'destroyed') break;
    if (attempt === 4) throw new Error(`lane ${lane.index}: ${name} is still ${s.status} (last destroy ${s.lastDestroy}) after retries`);
    await runChild(lane, s.activeDestroy ? ['resume', '--json'] : ['destroy', name, '--json'], null, `${what} ${s.activeDestroy ? 'resume' : 'again'} (was ${s.status}, last destroy ${s.lastDestroy})`);
  }
  lane.destroys++;
  return what;
}

/** Spreads the provisions and destroys over the lanes; a lane destroys only after it has provisioned. */
function plans(rng: Rng): ('p' | 'd')[][] {
  const lanes: ('p' | 'd')[][] = Array.from({ length: LANES }, () => []);
  for (let i = 0; i < PROVISIONS; i++) lanes[i % LANES]!.push('p');
  for (let i = 0; i < DESTROYS; i++) {
    const ops = lanes[i % LANES]!;
    ops.splice(rng.int(1, ops.length), 0, 'd');
  }
  return lanes;
}

async function startLane(index: number, owed: KillPoint[]): Promise<Lane> {
  const { dir, cleanup } = tempDir(`outpost-crash-${index}-`);
  cleanups.push(cleanup);
  const sim = await startSimulator({ port: 0, timeScale: 1, profile: COMPRESSED_STEPS, seed: SEED * 10 + index });
  sims.push(sim);
  return { index, dir, file: join(dir, 'live.db'), sim, control: new SimControl(sim.url), rng: seededRng(SEED * 10 + index), owed, provisions: 0, destroys: 0, payments: [] };
}

describe(`crash anywhere (${FULL ? 'full' : 'reduced'})`, () => {
  it(
    'SIGKILLs at seeded kill points, then restarts: after every operation every job terminal, nothing duplicated, orphaned, leaked or corrupt',
    async () => {
      console.log(`crash anywhere: seed ${SEED} (replay with OUTPOST_RELIABILITY_SEED=${SEED}), ${PROVISIONS} provisions, ${DESTROYS} destroys, ≥ ${MIN_KILLS} kills, ${LANES} lanes`);
      const started = Date.now();
      const rng = seededRng(SEED);
      const laneOps = plans(rng);
      // Every ambiguous window, in a seeded order, dealt round-robin to the lanes' first provisions.
      const ambiguous = [...AMBIGUOUS_PROVISION_POINTS];
      for (let i = ambiguous.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [ambiguous[i], ambiguous[j]] = [ambiguous[j]!, ambiguous[i]!];
      }
      const lanes = await Promise.all(laneOps.map((_, i) => startLane(i, ambiguous.filter((_p, k) => k % LANES === i))));
      const opsPerLane = lanes.map((l) => laneOps[l.index]!.filter((op) => op === 'p').length);
      expect(Math.min(...opsPerLane), 'each lane needs a provision per ambiguous point it owes').toBeGreaterThanOrEqual(Math.max(...lanes.map((l) => l.owed.length)));

      await Promise.all(
        lanes.map(async (lane) => {
          let n = 0;
          for (const op of laneOps[lane.index]!) {
            n++;
            const what = op === 'p' ? await provisionOp(lane, n) : await destroyOp(lane, n);
            tally.cycleProblems.push(...(await checkLane(lane, `L${lane.index} ${what}`, started)));
          }
        }),
      );
      // Top up: a planned kill the child never reached does not count.
      let extra = 0;
      while (tally.kills < MIN_KILLS && extra < MIN_KILLS) {
        extra++;
        const lane = lanes[extra % LANES]!;
        const what = await provisionOp(lane, 100 + extra, true);
        tally.cycleProblems.push(...(await checkLane(lane, `L${lane.index} ${what}`, started)));
      }
      for (const lane of lanes) await runChild(lane, ['resume', '--json'], null, 'final resume');

      // All children have exited: open the stores for real and judge each lane against its clouds.
      const views: StoreView[] = [];
      const jobsPerPayment: string[] = [];
      const failedJobs: string[] = [];
      const finalProblems: string[] = [];
      let serversLeft = 0;
      for (const lane of lanes) {
        finalProblems.push(...(await checkLane(lane, `L${lane.index} final resume`, started)));
        serversLeft += (await lane.control.state()).servers.length;
        const store = await Store.open(lane.file);
        try {
          const view = await viewOf(`lane ${lane.index}`, store);
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
          await store.close();
        }
      }
      const jobs = views.flatMap((v) => v.jobs);
      const seconds = (Date.now() - started) / 1000;
      // Repeatable for a seed: the same seed gives the same figures (only `seconds` varies).
      const figures = {
        seed: SEED,
        size: FULL ? 'full' : 'reduced',
        lanes: LANES,
        provisions: lanes.reduce((a, l) => a + l.provisions, 0),
        topUps: extra,
        destroys: lanes.reduce((a, l) => a + l.destroys, 0),
        kills: tally.kills,
        missedKills: tally.missed,
        killPointsHit: tally.landed.size,
        childRuns: tally.spawns,
        paymentResends: tally.reissues,
        invariantChecks: tally.cycleChecks,
        jobs: jobs.length,
        jobsSucceeded: jobs.filter((j) => j.status === 'succeeded').length,
        payments: views.reduce((a, v) => a + v.payments.length, 0),
        serversLeftRunning: serversLeft,
        seconds: Math.round(seconds),
      };
      console.log(`crash anywhere figures: ${JSON.stringify(figures)}`);
      if (process.env.OUTPOST_RELIABILITY_VERBOSE) console.log(tally.log.join('\n'));

      expect(tally.childFailures, 'a run that was not killed failed').toEqual([]);
      expect(tally.kills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(tally.cycleProblems, `seed ${SEED}; kills:\n${tally.log.join('\n')}`).toEqual([]);
      expect(finalProblems, `seed ${SEED}; kills:\n${tally.log.join('\n')}`).toEqual([]);
      expect([...tally.duplicates], `seed ${SEED}`).toEqual([]);
      // Every ambiguous window was crashed in (a kill there always lands: the child passes it).
      expect(AMBIGUOUS_PROVISION_POINTS.map(describeKill).filter((p) => !tally.landed.has(p))).toEqual([]);
      expect(jobsPerPayment).toEqual([]);
      // No fault was injected: a kill must never turn into a failure (resume from the last step).
      expect(failedJobs, `seed ${SEED}`).toEqual([]);
      expect(views.flatMap((v) => v.payments).filter((p) => p.status !== 'fulfilled')).toEqual([]);
      recordFigures('crashAnywhere', figures);
    },
    sized(180_000, 900_000),
  );
});
