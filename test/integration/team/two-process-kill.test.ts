// Two `outpost serve` processes on one PostgreSQL database and one simulated cloud (`outpost sim`),
// as a team would run them (issue 16 item 4): a provision started through A, A killed with SIGKILL
// while Hetzner is creating its server, and B — which followed A's job through LISTEN/NOTIFY — takes
// the job over once A's lease expired and finishes it: one server, no device or key left over, every
// step once, and no browser sent an event twice. The in-process variant, with more kill points, is
// test/integration/pipeline/two-servers.test.ts.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEndpoints } from '../../../electron/core/clouds';
import { Store } from '../../../electron/core/db/store';
import { SimControl } from '../../../electron/sim/control';
import { liveEnv, spawnOutpost, startSim, type OutpostProcess } from '../../fixtures/cli-process';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { TeamClient } from '../../fixtures/team-client';
import { tempDir } from '../../fixtures/temp-dir';
import { selfSignedCertificate, type TestCertificate } from '../../fixtures/tls';
import { waitUntil } from '../../fixtures/wait-until';

/** Seconds: short, so B's takeover comes soon after the kill (a team keeps the default, 30). */
const LEASE_SECONDS = '2';

let database: TestLocation;
let url: string;
let cert: TestCertificate;
let endpoints: CloudEndpoints;
let control: SimControl;
let store: Store;
const children: OutpostProcess[] = [];
const cleanups: (() => void)[] = [];

/** The `outpost` command as a child; the database's URL only in its environment (never on a command line, where `ps` shows it). */
function outpost(args: string[], env: NodeJS.ProcessEnv = {}): OutpostProcess {
  // Not the runner's own data directory or base URL: each process has its own, from its arguments.
  const c = spawnOutpost(args, { without: ['OUTPOST_BASE_URL', 'OUTPOST_DATA_DIR'], env: { OUTPOST_DATABASE_URL: url, OUTPOST_LOG_LEVEL: 'warn', ...env } });
  children.push(c);
  return c;
}

/** Runs a command to its end; its stdout's last line, parsed as JSON. */
async function outpostJson<T>(args: string[]): Promise<T> {
  const run = outpost(args);
  const { code } = await run.exited;
  expect(code, run.output()).toBe(0);
  return JSON.parse(run.output().trim().split('\n').at(-1)!) as T;
}

interface TeamServer {
  process: OutpostProcess;
  client: TeamClient;
  /** Every event its event stream sent, in order. */
  events: { event: string; data: { jobId?: string; seq?: number; instance?: { id: string } } }[];
}

/** `outpost serve` in live mode against the simulator, HTTPS with the test's certificate, on a port of its choosing. */
async function serve(name: string): Promise<TeamServer> {
  const { dir, cleanup } = tempDir(`outpost-serve-${name}-`);
  cleanups.push(cleanup);
  const proc = outpost(['--data-dir', dir, '--mode', 'live', 'serve', '--host', '127.0.0.1', '--port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile], {
    ...liveEnv(endpoints),
    OUTPOST_LEASE_SECONDS: LEASE_SECONDS,
  });
  const listening = () => /listening on (https:\/\/\S+?)\)/.exec(proc.output())?.[1];
  const ready = () => !!listening() && proc.output().includes('Stop with Ctrl+C');
  await waitUntil(() => ready() || proc.child.exitCode !== null, () => `outpost serve (${name}) to listen; output: ${proc.output()}`, 40_000);
  expect(listening(), proc.output()).toBeDefined();
  return { process: proc, client: new TeamClient(new URL(listening()!), cert.cert), events: [] };
}

/** Follows the server's event stream (as a browser would) with the API token, collecting every event. */
function follow(server: TeamServer, token: string): void {
  const req = request(new URL('events', server.client.base), { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, ca: cert.cert }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) server.events.push({ event, data: JSON.parse(data) as TeamServer['events'][number]['data'] });
      }
    });
    res.on('error', () => undefined); // the server was killed: the stream ends
  });
  req.on('error', () => undefined);
  req.end();
}

const seqsOf = (server: TeamServer, jobId: string) => server.events.filter((e) => e.event === 'job:progress' && e.data.jobId === jobId).map((e) => e.data.seq!);

beforeAll(async () => {
  database = await storeLocation('postgres');
  url = (database.location as { url: string }).url;
  const { dir, cleanup } = tempDir('outpost-kill-tls-');
  cleanups.push(cleanup);
  cert = selfSignedCertificate(dir);
  // Through outpost(), so afterAll stops it with the servers.
  const started = await startSim(['--time-scale', '0.01', '--seed', '31'], (args) => outpost(args));
  endpoints = started.endpoints;
  control = new SimControl(started.controlUrl);
  // The schema is made by the first process to open the database; the test reads it too.
  store = await Store.open(database.location);
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  await store?.close();
  await database?.cleanup();
  cleanups.forEach((cleanup) => cleanup());
}, 60_000);

describe('two outpost serve processes on one database', () => {
  it('SIGKILL of the one running a provision: the other takes it over after the lease and finishes it, once', async () => {
    await outpostJson(['users', 'add', 'ops', '--role', 'operator', '--json']);
    const { token } = await outpostJson<{ token: string }>(['users', 'token', 'ops', '--label', 'kill-test', '--json']);
    const a = await serve('a');
    const b = await serve('b');
    follow(a, token);
    follow(b, token);

    // Hetzner makes the server, then holds its answer back: A dies inside create_server.
    await control.addFault({ method: 'POST', path: '/hetzner/v1/servers', latencyMs: 5_000, phase: 'after', count: 1 });
    const started = await a.client.rpcWithToken(token, 'provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'kill test' });
    expect(started.json?.ok, started.body).toBe(true);
    const { jobId, instanceId } = started.json!.data as { jobId: string; instanceId: string };
    await control.waitFor((s) => s.servers.some((x) => x.labels['outpost.job'] === jobId), { timeoutMs: 20_000 });
    // B's browsers follow the job A runs (NOTIFY), and B leaves the job to A while A lives.
    await waitUntil(() => seqsOf(b, jobId).some((seq) => seq > 1), () => `A's events at B's browsers; B saw ${JSON.stringify(b.events)}`);
    expect(await store.leases.of(jobId)).toMatchObject({ token: 1 });
    const seqAtDeath = (await store.jobs.events(jobId)).at(-1)!.seq;

    a.process.child.kill('SIGKILL');
    expect((await a.process.exited).signal).toBe('SIGKILL');

    await waitUntil(async () => (await store.jobs.get(jobId))?.finishedAt != null, () => `B to finish the job; B's output: ${b.process.output()}`, 60_000);
    const job = (await store.jobs.get(jobId))!;
    const events = await store.jobs.events(jobId);
    expect(job.status, JSON.stringify(events.map((e) => `${e.type}:${e.step ?? ''}`))).toBe('succeeded');
    // Taken over under a higher token, and given back once finished.
    expect(await store.leases.of(jobId)).toEqual({ owner: null, expiresAt: null, token: 2 });

    // One server; the instance runs on it; nothing else in the clouds.
    const state = await control.state();
    const servers = state.servers.filter((s) => s.labels['outpost.managed'] === 'true' && s.status !== 'deleting');
    expect(servers.map((s) => s.labels['outpost.job'])).toEqual([jobId]);
    const instance = (await store.instances.get(instanceId))!;
    expect(instance).toMatchObject({ status: 'running', serverId: servers[0]!.id });
    expect(state.devices.map((d) => d.nodeId)).toEqual([instance.nodeId]);
    expect(state.keys.filter((k) => !k.invalid)).toEqual([]);

    // The timeline: numbered without a gap, the server adopted rather than made twice, every later step once.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'note' && String(e.data.message).includes('created before the restart'))).toBe(true);
    for (const step of ['wait_running', 'wait_enrolled', 'activate']) expect(events.filter((e) => e.type === 'step_succeeded' && e.step === step), step).toHaveLength(1);
    expect(events.filter((e) => e.type === 'job_finished')).toHaveLength(1);

    // No browser was sent an event twice; B's were sent A's events (through NOTIFY) and then its own, to the end.
    await waitUntil(() => seqsOf(b, jobId).includes(events.at(-1)!.seq), "the job's end at B's browsers");
    for (const server of [a, b]) {
      const seqs = seqsOf(server, jobId);
      expect(new Set(seqs).size, JSON.stringify(seqs)).toBe(seqs.length);
    }
    expect(seqsOf(b, jobId).some((seq) => seq > 1 && seq <= seqAtDeath)).toBe(true);

    // B answers for the job like any other.
    const detail = await b.client.rpcWithToken(token, 'jobs:get', { jobId });
    expect((detail.json?.data as { job: { status: string } }).job.status).toBe('succeeded');
    expect(await store.integrityProblems()).toEqual([]);
  }, 150_000);
});
