// Two server processes on one PostgreSQL database and one simulated cloud (issue 16 item 4), in
// process: A provisions, B's browsers see A's job move (LISTEN/NOTIFY), A dies in the middle of a
// step without giving its lease back, and B takes the job over once the lease expired and finishes
// it from A's journal: one server, nothing left behind, no event twice. The same with real
// processes and SIGKILL is test/integration/team/two-process-kill.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { silentLogger, type Logger } from '../../../electron/core/log';
import { Leases } from '../../../electron/core/provisioning/lease';
import { MemoryEventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import { directApi } from '../../fixtures/apis';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { endpointsOf, FAST_PIPELINE, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

/** Short, so the takeover comes within the test's patience; renewed every third of it. */
const LEASE_MS = 1_500;

interface Server {
  runtime: Runtime;
  events: MemoryEventSink;
}

let sim: RunningSimulator;
let control: SimControl;
let database: TestLocation;
const cleanups: (() => void | Promise<void>)[] = [];

async function server(log: Logger = silentLogger): Promise<Server> {
  const { dir, cleanup } = tempDir('outpost-team-');
  cleanups.push(cleanup);
  const events = new MemoryEventSink();
  const runtime = await startRuntime({
    dataDir: dir,
    storeLocation: database.location,
    events,
    settings: new MemorySettings(),
    mode: 'live',
    endpoints: endpointsOf(sim),
    log,
    fleetSyncIntervalMs: 0,
    tuning: { enrollmentIntervalMs: 50, backoffBaseMs: 20, requestTimeoutMs: 5_000 },
    pipeline: { ...FAST_PIPELINE, leaseMs: LEASE_MS },
  });
  cleanups.push(() => runtime.close());
  return { runtime, events };
}

/** The (jobId, seq) of every job:progress a process's browsers were sent for the job. */
function progressSeqs(s: Server, jobId: string): number[] {
  return s.events.emitted
    .filter((e) => e.event === ('job:progress' satisfies EventName) && (e.payload as { jobId: string }).jobId === jobId)
    .map((e) => (e.payload as { seq: number }).seq);
}

beforeEach(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 21 });
  control = new SimControl(sim.url);
  database = await storeLocation('postgres');
});
afterEach(async () => {
  // Newest first: the runtimes close before the database is dropped.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await database.cleanup();
  await sim.close();
});

describe('two servers on one PostgreSQL database', () => {
  it.each([
    ['inside create_server, after Hetzner made the server but before the answer', 'create'],
    ['while it waits for the VM to enroll', 'enroll'],
  ] as const)('A dies %s: B takes the job over after the lease and finishes it, once', async (_, when) => {
    if (when === 'create') await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 4_000, phase: 'after', count: 1 });
    const a = await server();
    const b = await server();
    const store = b.runtime.store;

    const { jobId, instanceId } = await directApi(a.runtime.handlers).call('provision:start', {
      region: 'fsn1',
      serverType: 'cx22',
      image: 'ubuntu-24.04',
      agentName: `takeover ${when}`,
    });
    const types = async () => (await store.jobs.events(jobId)).map((e) => `${e.type}:${e.step ?? ''}`);
    if (when === 'create') {
      await control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 15_000 });
    } else {
      await waitUntil(async () => (await types()).includes('step_started:wait_enrolled'), 'the job to wait for enrollment');
    }

    // While A lives, A holds the job (its first lease, from the transaction that recorded it) and B
    // leaves it alone, while B's browsers follow it through the notifications.
    const whileAlive = await store.leases.of(jobId);
    expect(whileAlive).toMatchObject({ token: 1 });
    expect(whileAlive!.owner).not.toBeNull();
    const seqBeforeDeath = (await store.jobs.events(jobId)).at(-1)!.seq;
    await waitUntil(() => progressSeqs(b, jobId).some((seq) => seq > 1), "A's events to reach B's browsers");
    expect(b.runtime.runner.running).toEqual([]);

    // A dies mid-step: it stops, and gives nothing back (no release, no final write).
    await a.runtime.runner.close({ keepLeases: true });
    expect((await store.jobs.get(jobId))!.status).toBe('running');

    // B claims the job once A's lease expired, under token 2, and finishes it.
    await waitUntil(async () => (await store.jobs.get(jobId))!.finishedAt !== null, 'B to finish the job', 40_000);
    await b.runtime.runner.idle();
    const job = (await store.jobs.get(jobId))!;
    expect(job.status, JSON.stringify(await types())).toBe('succeeded');
    expect(await store.leases.of(jobId)).toEqual({ owner: null, expiresAt: null, token: 2 });

    // One server, carrying the job; the instance points at it; no device or key left over.
    const state = await control.state();
    const servers = state.servers.filter((s) => s.labels['outpost.job'] === jobId && s.status !== 'deleting');
    expect(servers).toHaveLength(1);
    const instance = (await store.instances.get(instanceId))!;
    expect(instance).toMatchObject({ status: 'running', serverId: servers[0]!.id });
    expect(state.servers.filter((s) => s.labels['outpost.managed'] === 'true' && s.status !== 'deleting').map((s) => s.id)).toEqual([servers[0]!.id]);
    expect(state.devices.filter((d) => d.nodeId !== instance.nodeId)).toEqual([]);
    expect(state.keys.filter((k) => !k.invalid)).toEqual([]);

    // The timeline: every step once to its end, numbered without a gap. Killed inside create_server,
    // the server A had made is adopted by B (a note says so) rather than created again.
    const events = await store.jobs.events(jobId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const adopted = events.some((e) => e.type === 'note' && String(e.data.message).includes('created before the restart'));
    expect(adopted).toBe(when === 'create');
    for (const step of ['mint_key', 'create_server', 'wait_running', 'wait_enrolled', 'activate']) {
      expect(events.filter((e) => e.type === 'step_succeeded' && e.step === step), step).toHaveLength(step === 'create_server' && adopted ? 0 : 1);
    }
    expect(events.filter((e) => e.type === 'job_finished')).toHaveLength(1);

    // No browser was sent an event twice; B's were sent A's (before the death, through NOTIFY) and its own.
    for (const s of [a, b]) {
      const seqs = progressSeqs(s, jobId);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    const seenByB = progressSeqs(b, jobId);
    expect(seenByB.some((seq) => seq > 1 && seq <= seqBeforeDeath)).toBe(true);
    // The last one may wait its turn in B's event coalescing (at most one per job per 100 ms).
    await waitUntil(() => progressSeqs(b, jobId).includes(events.at(-1)!.seq), "the job's end to reach B's browsers");
    expect(b.events.emitted.some((e) => e.event === 'instance:changed' && (e.payload as { instance: { id: string } }).instance.id === instanceId)).toBe(true);
    expect(await store.integrityProblems()).toEqual([]);
  });

  it('A stalls and its lease is claimed meanwhile: A stops without a failure or a compensation, and the job ends once', async () => {
    await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 3_000, phase: 'after', count: 1 });
    const logged: { level: string; message: string }[] = [];
    const record = (level: string) => (message: string) => void logged.push({ level, message });
    const a = await server({ debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') });
    const b = await server();
    const store = b.runtime.store;
    const { jobId } = await directApi(a.runtime.handlers).call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'stalled' });
    await control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 15_000 });

    // What another process does when A's lease lapsed while A was stalled (a long pause, a network
    // cut): it claims the job, under token 2. This one only holds it, running nothing.
    const other = new Leases(store, { leaseMs: 60_000, exclusive: false });
    expect(await other.claim({ jobId, takeOver: true })).toEqual([jobId]);

    // A learns it at its next renewal (or its next write is refused): its run stops, quietly.
    await waitUntil(() => a.runtime.runner.running.length === 0, "A's run to stop");
    expect(logged.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(logged.some((l) => l.level === 'info' && l.message.includes('lease lost'))).toBe(true);
    const events = await store.jobs.events(jobId);
    expect(events.filter((e) => e.type === 'step_failed' || e.type === 'compensation')).toEqual([]);
    expect((await store.jobs.get(jobId))!.status).toBe('running');
    expect((await control.state()).servers.filter((s) => s.labels['outpost.job'] === jobId && s.status !== 'deleting')).toHaveLength(1);

    // The holder gives it back (as a graceful stop does): B claims it and finishes it, once.
    await other.release();
    await waitUntil(async () => (await store.jobs.get(jobId))!.finishedAt !== null, 'B to finish the job', 40_000);
    expect((await store.jobs.get(jobId))!.status).toBe('succeeded');
    expect(await store.leases.of(jobId)).toEqual({ owner: null, expiresAt: null, token: 3 });
    expect((await control.state()).servers.filter((s) => s.labels['outpost.job'] === jobId && s.status !== 'deleting')).toHaveLength(1);
    const all = await store.jobs.events(jobId);
    expect(all.filter((e) => e.type === 'job_finished')).toHaveLength(1);
    expect(all.filter((e) => e.type === 'step_failed')).toEqual([]);
  });

  it('a cancel asked of B reaches the job A runs, and A compensates it', async () => {
    await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 1_000, phase: 'after', count: 1 });
    const a = await server();
    const b = await server();
    const { jobId } = await directApi(a.runtime.handlers).call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'cancel across' });
    await control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 15_000 });
    await directApi(b.runtime.handlers).call('provision:cancel', { jobId });
    const job = await a.runtime.runner.settled(jobId);
    expect(job!.status).toBe('cancelled');
    expect(b.runtime.runner.running).toEqual([]);
    expect((await control.state()).servers.filter((s) => s.labels['outpost.job'] === jobId && s.status !== 'deleting')).toEqual([]);
    const events = await b.runtime.store.jobs.events(jobId);
    expect(events.filter((e) => e.type === 'job_finished')).toHaveLength(1);
    expect(await b.runtime.store.leases.of(jobId)).toMatchObject({ owner: null, token: 1 });
  });
});
