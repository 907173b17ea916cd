// Fault matrix (issue 8, DESIGN §9): every endpoint Outpost calls × {500, 502, 503, 429, hang,
// connection reset, malformed JSON}, transient (2 hits) and persistent (until the job settles).
// Each run ends succeeded or failed-and-compensated; the simulator's ground truth then shows no
// leftovers, and a succeeded run has exactly one server, which a destroy removes again.
// Reduced (npm test): one cell per fault kind spread over the endpoints, plus three persistent
// ones. Full (OUTPOST_RELIABILITY=full): the whole matrix, plus "after" variants (the request is
// processed, then the answer hangs or is reset) on every mutating endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFaultSpec } from '../../electron/sim';
import { OutpostError } from '../../shared/errors';
import { pollUntil } from '../fixtures/wait-until';
import { recordFigures } from './results';
import { COMPRESSED_STEPS, FULL, evidenceProblems, invariantViolations, isTerminal, seededRng, sized, startRelHarness, suiteSeed, viewOf, type RelHarness } from './support';

type Scenario = 'provision+destroy' | 'compensate' | 'adopt';
interface Endpoint {
  method: string;
  path: string;
  /** How a run reaches this endpoint; the first is the primary one. */
  scenarios: Scenario[];
  mutating: boolean;
  /** Only called with a fresh OAuth token cache: restart Outpost before the run. */
  fresh?: boolean;
}

// From the request log of a provision + destroy, a failed provision (compensation) and a resumed one.
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/hetzner/v1/locations', scenarios: ['provision+destroy'], mutating: false },
  { method: 'GET', path: '/hetzner/v1/server_types', scenarios: ['provision+destroy'], mutating: false },
  { method: 'GET', path: '/hetzner/v1/images', scenarios: ['provision+destroy'], mutating: false },
  // The label lookup: a job's first create POSTs without it, so a resumed job (the restart's lookup) reaches it.
  { method: 'GET', path: '/hetzner/v1/servers', scenarios: ['adopt'], mutating: false },
  { method: 'POST', path: '/hetzner/v1/servers', scenarios: ['provision+destroy'], mutating: true },
  { method: 'GET', path: '/hetzner/v1/actions', scenarios: ['provision+destroy', 'compensate'], mutating: false },
  { method: 'GET', path: '/hetzner/v1/servers/*', scenarios: ['provision+destroy'], mutating: false },
  { method: 'GET', path: '/hetzner/v1/servers/*/actions', scenarios: ['adopt'], mutating: false },
  { method: 'DELETE', path: '/hetzner/v1/servers/*', scenarios: ['provision+destroy', 'compensate'], mutating: true },
  { method: 'POST', path: '/tailscale/api/v2/oauth/token', scenarios: ['provision+destroy'], mutating: true, fresh: true },
  { method: 'POST', path: '/tailscale/api/v2/tailnet/*/keys', scenarios: ['provision+destroy'], mutating: true },
  { method: 'GET', path: '/tailscale/api/v2/tailnet/*/keys/*', scenarios: ['provision+destroy', 'compensate'], mutating: false },
  { method: 'DELETE', path: '/tailscale/api/v2/tailnet/*/keys/*', scenarios: ['compensate'], mutating: true },
  { method: 'GET', path: '/tailscale/api/v2/tailnet/*/devices', scenarios: ['provision+destroy', 'compensate'], mutating: false },
  { method: 'DELETE', path: '/tailscale/api/v2/device/*', scenarios: ['provision+destroy'], mutating: true },
];

const KINDS = {
  '500': { status: 500 },
  '502': { status: 502 },
  '503': { status: 503 },
  '429': { status: 429 },
  hang: { hang: true },
  reset: { reset: true },
  malformed: { malformed: true },
  'hang-after': { hang: true, phase: 'after' },
  'reset-after': { reset: true, phase: 'after' },
} satisfies Record<string, Omit<HttpFaultSpec, 'path'>>;
type Kind = keyof typeof KINDS;
const BASIC_KINDS: Kind[] = ['500', '502', '503', '429', 'hang', 'reset', 'malformed'];

interface Cell {
  endpoint: Endpoint;
  kind: Kind;
  persistent: boolean;
  scenario: Scenario;
}
const cellName = (c: Cell) => `${c.endpoint.method} ${c.endpoint.path} × ${c.kind}${c.persistent ? ' (persistent)' : ' ×2'} [${c.scenario}]`;

const SEED = suiteSeed(8_2_2);
const rng = seededRng(SEED);

function fullMatrix(): Cell[] {
  const cells: Cell[] = [];
  for (const endpoint of ENDPOINTS) {
    const kinds = endpoint.mutating ? [...BASIC_KINDS, 'hang-after' as const, 'reset-after' as const] : BASIC_KINDS;
    for (const scenario of endpoint.scenarios)
      for (const kind of kinds) for (const persistent of [false, true]) cells.push({ endpoint, kind, persistent, scenario });
  }
  return cells;
}

/** Each basic kind once (transient) on a seeded spread of endpoints, plus three persistent cells. */
function reducedMatrix(): Cell[] {
  const pool = [...ENDPOINTS];
  const cells: Cell[] = BASIC_KINDS.map((kind) => {
    const endpoint = pool.splice(rng.int(0, pool.length - 1), 1)[0]!;
    return { endpoint, kind, persistent: false, scenario: endpoint.scenarios[0]! };
  });
  const at = (method: string, path: string) => ENDPOINTS.find((e) => e.method === method && e.path === path)!;
  cells.push(
    { endpoint: at('POST', '/hetzner/v1/servers'), kind: '500', persistent: true, scenario: 'provision+destroy' },
    { endpoint: at('DELETE', '/hetzner/v1/servers/*'), kind: '503', persistent: true, scenario: 'provision+destroy' },
    { endpoint: at('DELETE', '/tailscale/api/v2/tailnet/*/keys/*'), kind: 'reset', persistent: true, scenario: 'compensate' },
  );
  return cells;
}

// OUTPOST_RELIABILITY_ONLY=<text> runs just the full matrix's cells whose name contains it (to replay one).
const ONLY = process.env.OUTPOST_RELIABILITY_ONLY;
const CELLS = ONLY ? fullMatrix().filter((c) => cellName(c).includes(ONLY)) : sized(reducedMatrix(), fullMatrix());
const LANES = sized(3, 4);

/** What one run did, for the summary and the assertions. */
interface Outcome {
  cell: string;
  provision: 'succeeded' | 'failed' | 'refused';
  destroy: 'succeeded' | 'failed-then-succeeded' | 'n/a';
  faultHits: number;
  restarted: boolean;
  ms: number;
  problems: string[];
}

let lanes: RelHarness[] = [];
const suiteStarted = Date.now();
/** Distinct agent names: generated VM names carry only 4 hex digits, and failed VMs keep theirs. */
let runs = 0;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  console.log(`fault matrix: seed ${SEED}, ${CELLS.length} cells, ${LANES} lanes, ${ONLY ? `only "${ONLY}"` : FULL ? 'full' : 'reduced'}`);
  lanes = await Promise.all(
    Array.from({ length: LANES }, (_, i) =>
      startRelHarness({
        seed: SEED + i,
        // Short steps on an unscaled clock: keys and offline devices outlive the run, so a leak
        // stays visible to the checks after every cell (evidenceProblems).
        timeScale: 1,
        profile: COMPRESSED_STEPS,
        // A hang costs one request timeout per attempt: keep it short, but far above a normal answer.
        tuning: { requestTimeoutMs: 750 },
        // Refresh the catalog at every reserve, so its three endpoints are on each run's path.
        pipeline: { catalogMaxAgeMs: 0, runningTimeoutMs: 8_000, enrolledTimeoutMs: 8_000, compensationTimeoutMs: 5_000 },
      }),
    ),
  );
});

afterAll(async () => {
  await Promise.all(lanes.map((h) => h.close()));
  const by = (f: (o: Outcome) => string) => [...outcomes.reduce((m, o) => m.set(f(o), (m.get(f(o)) ?? 0) + 1), new Map<string, number>())].map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`fault matrix outcomes (${outcomes.length} runs): provision {${by((o) => o.provision)}}; destroy {${by((o) => o.destroy)}}; resumed after restart: ${outcomes.filter((o) => o.restarted).length}`);
  const slow = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3);
  console.log(`slowest: ${slow.map((o) => `${o.cell} ${(o.ms / 1000).toFixed(1)} s`).join('; ')}`);
});

async function waitForCatalogRefresh(h: RelHarness, since: number): Promise<void> {
  // The runtime refreshes the catalog at start in the background; let it finish before faulting.
  const answered = async () => (await h.control.requests(since)).requests.some((r) => r.path.startsWith('/hetzner/v1/images') && r.outcome === 'answered');
  await pollUntil(answered, 10_000, 20);
}

/** Settles the job; a compensation parked for its 30 s retry is resumed by a restart instead. */
async function settleOrRestart(h: RelHarness, jobId: string, faultCleared: () => Promise<void>): Promise<{ status: string; restarted: boolean }> {
  let job = await h.settle(jobId);
  if (isTerminal(job.status)) return { status: job.status, restarted: false };
  await faultCleared();
  await h.restart();
  job = await h.settle(jobId);
  return { status: job.status, restarted: true };
}

async function runCell(h: RelHarness, cell: Cell, reported: Set<string>): Promise<Outcome> {
  const started = Date.now();
  const problems: string[] = [];
  const { endpoint, scenario } = cell;
  if (endpoint.fresh) {
    const { lastSeq } = await h.control.requests();
    await h.restart();
    await waitForCatalogRefresh(h, lastSeq);
  }
  if (/locations|server_types|images/.test(endpoint.path)) {
    // A start (each lane's first cell) or a restart refreshes the catalog in the background; the
    // provision's own refresh would join that one, begun before the fault, and never reach it.
    await h.runtime.clouds.hetzner.catalog.refresh();
  }
  const { lastSeq } = await h.control.requests();
  const spec: HttpFaultSpec = { method: endpoint.method, path: endpoint.path, ...KINDS[cell.kind], ...(cell.persistent ? {} : { count: 2 }) };
  let cleared = false;
  const clear = async () => {
    if (!cleared) await h.control.clearFaults();
    cleared = true;
  };
  const jobsBefore = (await h.runtime.store.jobs.list({ limit: 1_000_000 })).length;
  const outcome: Outcome = { cell: cellName(cell), provision: 'refused', destroy: 'n/a', faultHits: 0, restarted: false, ms: 0, problems };
  try {
    let jobId: string;
    let instanceId: string;
    if (scenario === 'adopt') {
      // Crash inside create_server after Hetzner made the server: the resumed job adopts it and
      // waits on the server's own running actions (GET /servers/{id}/actions).
      await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 3_000, phase: 'after', count: 1 });
      ({ jobId, instanceId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: `adopt ${++runs}` }));
      await h.control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 15_000 });
      await h.control.addFault(spec);
      await h.restart();
    } else {
      if (scenario === 'compensate') await h.control.failActions({ command: 'start_server', count: 1 });
      await h.control.addFault(spec);
      try {
        ({ jobId, instanceId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: `matrix ${++runs}` }));
      } catch (err) {
        // Only the catalog can refuse before a job exists: a typed error, and nothing recorded.
        if (!(err instanceof OutpostError)) problems.push(`provision:start threw a non-OutpostError: ${String(err)}`);
        if (!endpoint.path.match(/locations|server_types|images/)) problems.push(`provision:start refused on a non-catalog fault: ${String(err)}`);
        if ((await h.runtime.store.jobs.list({ limit: 1_000_000 })).length !== jobsBefore) problems.push('a refused provision left a job behind');
        return outcome;
      }
    }

    const settled = await settleOrRestart(h, jobId, clear);
    outcome.restarted = settled.restarted;
    const job = (await h.runtime.store.jobs.get(jobId))!;
    const events = await h.runtime.store.jobs.events(jobId);
    const state = await h.control.state();
    const servers = state.servers.filter((s) => s.labels['outpost.job'] === jobId);
    if (job.status === 'succeeded') {
      outcome.provision = 'succeeded';
      if (scenario === 'compensate') problems.push('the start_server action failed, yet the job succeeded');
      const instance = (await h.runtime.store.instances.get(instanceId))!;
      if (servers.length !== 1) problems.push(`succeeded with ${servers.length} servers for the job`);
      else if (servers[0]!.id !== instance.serverId) problems.push(`instance serverId ${instance.serverId} is not the job's server ${servers[0]!.id}`);
      if (!state.devices.some((d) => d.nodeId === instance.nodeId)) problems.push(`succeeded but device ${instance.nodeId} is not in the tailnet`);

      const { jobId: destroyId } = await h.api.call('instances:destroy', { instanceId, confirmName: instance.name });
      let destroyed = await h.settle(destroyId);
      outcome.destroy = 'succeeded';
      if (destroyed.status !== 'succeeded') {
        if (!cell.persistent) problems.push(`destroy ${destroyed.status} on a transient fault: ${destroyed.error?.message}`);
        // The operator retries once the cloud answers again.
        await clear();
        const again = await h.api.call('instances:destroy', { instanceId, confirmName: instance.name });
        destroyed = await h.settle(again.jobId);
        outcome.destroy = 'failed-then-succeeded';
        if (destroyed.status !== 'succeeded') problems.push(`destroy retried after the fault cleared ended ${destroyed.status}: ${destroyed.error?.message}`);
      }
      if ((await h.runtime.store.instances.get(instanceId))?.status !== 'destroyed') problems.push('instance not destroyed after its destroy succeeded');
    } else if (job.status === 'failed') {
      outcome.provision = 'failed';
      const failedAt = events.find((e) => e.type === 'step_failed');
      if (!failedAt || !job.error?.step || !job.error.code || !job.error.message) problems.push(`failed without {step, code, message}: ${JSON.stringify(job.error)}`);
      const compensations = events.filter((e) => e.type === 'compensation').map((e) => e.step);
      for (const part of ['delete_server', 'delete_device', 'revoke_key']) {
        if (!compensations.includes(part)) problems.push(`failed without compensation ${part} (have ${compensations.join(', ')})`);
      }
    } else {
      problems.push(`job ended ${job.status} (${JSON.stringify(job.error)})`);
    }
  } finally {
    const { requests } = await h.control.requests(lastSeq);
    outcome.faultHits = requests.filter((r) => r.fault !== null).length;
    await clear();
    await h.control.clearFaults(); // also the action failure of the compensate scenario, if unspent
    outcome.ms = Date.now() - started;
  }
  // The scenario reached the endpoint: a cell whose fault never fired proves nothing.
  if (outcome.faultHits === 0) problems.push('the fault was never hit: the scenario does not reach this endpoint');
  // Ground truth: nothing this Outpost does not own as a running instance (none are left running).
  // A leak is reported by the cell that made it, not again by every later cell of the lane.
  const fresh = async () => invariantViolations(state, [await viewOf('lane', h.runtime.store)]).filter((p) => !reported.has(p));
  let state = await h.control.state();
  let left = await fresh();
  const settled = async () => {
    state = await h.control.state();
    return (left = await fresh()).length === 0;
  };
  if (left.length) await pollUntil(settled, 5_000, 100);
  left.push(...evidenceProblems(state, suiteStarted).filter((p) => !reported.has(p)));
  left.forEach((p) => reported.add(p));
  problems.push(...left);
  return outcome;
}

describe(`fault matrix (${FULL ? 'full' : 'reduced'})`, () => {
  it(
    'every endpoint × fault kind ends succeeded, or failed and compensated, with nothing left behind',
    async () => {
      const queue = CELLS.map((cell, i) => ({ cell, i }));
      const failures: string[] = [];
      await Promise.all(
        lanes.map(async (h) => {
          const reported = new Set<string>();
          for (let next = queue.shift(); next; next = queue.shift()) {
            const outcome = await runCell(h, next.cell, reported);
            outcomes.push(outcome);
            if (outcome.problems.length) failures.push(`${outcome.cell}: provision ${outcome.provision}, destroy ${outcome.destroy}:\n    ${outcome.problems.join('\n    ')}`);
          }
        }),
      );
      expect(failures, `seed ${SEED}`).toEqual([]);
      expect(outcomes).toHaveLength(CELLS.length);
      if (!ONLY) {
        const tallyOf = (f: (o: Outcome) => string) => Object.fromEntries([...new Set(outcomes.map(f))].sort().map((k) => [k, outcomes.filter((o) => f(o) === k).length]));
        recordFigures('faultMatrix', {
          seed: SEED,
          size: FULL ? 'full' : 'reduced',
          endpoints: new Set(CELLS.map((c) => `${c.endpoint.method} ${c.endpoint.path}`)).size,
          kinds: [...new Set(CELLS.map((c) => c.kind))],
          runs: outcomes.length,
          provision: tallyOf((o) => o.provision),
          destroy: tallyOf((o) => o.destroy),
          resumedAfterRestart: outcomes.filter((o) => o.restarted).length,
        });
      }
    },
    sized(120_000, 900_000),
  );
});
