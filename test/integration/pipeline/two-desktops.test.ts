// One fleet seen from two desktops: two Outposts (two data directories) on one simulated Hetzner
// project and tailnet. The clouds' labels are the only thing they share (README "One fleet, many
// desktops"). A provisions three VMs, one from a payment; B — support, with the read-only Hetzner
// token — sees all three after one sync; B, now an operator, destroys one and A's next sync records it
// destroyed (not drift), while a server deleted in the console is drift; unowned servers are listed and
// adopted or deleted by an operator; a server without Outpost's label is never shown or touched; the
// same payment recorded on both at once makes one server. A keeps its store in a SQLite file (the
// desktop's default), B in a PostgreSQL database (a team's): the labels are all they share, whatever
// the engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutpostApi } from '../../../shared/contract';
import type { Instance } from '../../../shared/domain';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../../electron/boot/runtime';
import type { CloudEndpoints } from '../../../electron/core/clouds';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';
import type { StoreLocation } from '../../../electron/core/db/engine';
import { directApi } from '../../fixtures/apis';
import { storeLocation } from '../../fixtures/engines';
import { endpointsOf, FAST_PIPELINE, TEST_TIME_SCALE } from '../../fixtures/pipeline';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

let sim: RunningSimulator;
let control: SimControl;
const cleanups: (() => void | Promise<void>)[] = [];
const open: Runtime[] = [];

interface Desktop {
  runtime: Runtime;
  api: OutpostApi;
  settings: MemorySettings;
}

async function desktop(dir: string, role: 'operator' | 'support', endpoints: CloudEndpoints, store?: StoreLocation, settings = new MemorySettings()): Promise<Desktop> {
  settings.set('role', role);
  const options: RuntimeOptions = {
    dataDir: dir,
    ...(store ? { storeLocation: store } : {}),
    events: new MemoryEventSink(),
    settings,
    mode: 'live',
    endpoints,
    log: silentLogger,
    fleetSyncIntervalMs: 0,
    // Servers created by hand below have no device and no job: unowned at once in this test.
    unownedAfterMs: 0,
    tuning: { enrollmentIntervalMs: 50, backoffBaseMs: 20, requestTimeoutMs: 2_000 },
    pipeline: FAST_PIPELINE,
  };
  const runtime = await startRuntime(options);
  open.push(runtime);
  return { runtime, api: directApi(runtime.handlers), settings };
}

async function close(d: Desktop): Promise<void> {
  await d.runtime.close();
  open.splice(open.indexOf(d.runtime), 1);
}

/** A server made outside Outpost's pipeline (the Hetzner console, another tool), with these labels. */
async function consoleServer(name: string, labels: Record<string, string>): Promise<number> {
  const res = await fetch(`${sim.hetznerUrl}/servers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, server_type: 'cx22', image: 'ubuntu-24.04', location: 'nbg1', labels }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { server: { id: number } }).server.id;
}

async function consoleDelete(serverId: number): Promise<void> {
  const res = await fetch(`${sim.hetznerUrl}/servers/${serverId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` } });
  expect(res.status).toBe(200);
  await waitUntil(async () => !(await control.state()).servers.some((s) => s.id === serverId), `server ${serverId} deleted`);
}

let dirA: string;
let dirB: string;
/** B's store: a PostgreSQL database, kept across B's restarts like its data directory. */
let storeB: StoreLocation;
let a: Desktop;
const provisioned: Instance[] = [];
let foreignId: number;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: TEST_TIME_SCALE, seed: 15 });
  control = new SimControl(sim.url);
  const [da, db] = [tempDir('outpost-desktop-a-'), tempDir('outpost-desktop-b-')];
  cleanups.push(da.cleanup, db.cleanup);
  dirA = da.dir;
  dirB = db.dir;
  const databaseB = await storeLocation('postgres');
  cleanups.push(() => databaseB.cleanup());
  storeB = databaseB.location;
  a = await desktop(dirA, 'operator', endpointsOf(sim));
  // Someone else's server in the same project: no Outpost label.
  foreignId = await consoleServer('not-outposts', { 'managed-by': 'terraform' });
  const started = await Promise.all([
    a.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'build bot' }),
    a.api.call('provision:start', { region: 'hel1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Zoë 🚀 research' }),
    a.api.call('payments:record', { reference: 'INV-2026-15', customer: 'Globex', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'fsn1' }).then((r) => ({ jobId: r.payment.jobId! })),
  ]);
  for (const { jobId } of started) expect(await a.runtime.runner.settled(jobId)).toMatchObject({ status: 'succeeded' });
  provisioned.push(...(await a.api.call('instances:list', {})));
  expect(provisioned).toHaveLength(3);
}, 60_000);

afterAll(async () => {
  for (const r of [...open]) await r.close();
  await sim?.close();
  for (const c of cleanups) await c();
});

describe('one fleet seen from two desktops', () => {
  it('B, support with the read-only token, sees the whole fleet after one sync; never the server without Outpost\'s label', async () => {
    const b = await desktop(dirB, 'support', { ...endpointsOf(sim), hetznerToken: sim.credentials.hetznerReadOnlyToken }, storeB);
    expect(await b.api.call('instances:list', {})).toEqual([]);
    const summary = await b.api.call('fleet:sync', {});
    expect(summary.adopted).toHaveLength(3);
    expect(summary.unowned).toEqual([]);
    const seen = await b.api.call('instances:list', {});
    const storeA = await a.runtime.store.meta.storeId();
    expect(storeA).not.toBe(await b.runtime.store.meta.storeId());
    for (const mine of provisioned) {
      const theirs = seen.find((i) => i.serverId === mine.serverId);
      expect(theirs, mine.name).toMatchObject({
        name: mine.name,
        hostname: mine.hostname,
        agentName: mine.agentName,
        region: mine.region,
        serverType: 'cx22',
        image: 'ubuntu-24.04',
        status: 'running',
        publicIpv4: mine.publicIpv4,
        publicIpv6: mine.publicIpv6,
        tailnetIp: mine.tailnetIp,
        nodeId: mine.nodeId,
        enrollment: 'online',
        origin: 'adopted',
        originStore: storeA,
        jobId: null,
      });
      expect(theirs!.publicIpv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(theirs!.tailnetIp).toMatch(/^100\./);
      expect(theirs!.adoptedAt).toBe(summary.at);
      // No local job history for an adopted VM.
      expect((await b.api.call('instances:get', { instanceId: theirs!.id })).jobs).toEqual([]);
    }
    expect(provisioned.map((i) => i.agentName).sort()).toEqual(['Globex', 'Zoë 🚀 research', 'build bot'].sort());
    expect(seen.find((i) => i.paymentReference === 'INV-2026-15')).toMatchObject({ agentName: 'Globex', customer: null });
    expect(provisioned.find((i) => i.paymentReference === 'INV-2026-15')).toMatchObject({ origin: 'local', originStore: storeA });
    // Never shown, touched or called unowned.
    expect(seen.some((i) => i.serverId === foreignId)).toBe(false);
    // A second sync adopts nothing more.
    expect((await b.api.call('fleet:sync', {})).adopted).toEqual([]);
    // Support cannot act on what it sees.
    await expect(b.api.call('instances:destroy', { instanceId: seen[0]!.id, confirmName: seen[0]!.name })).rejects.toMatchObject({ code: 'read_only' });
    await close(b);
  });

  it('B as operator destroys an adopted VM with the full cleanup; A records it destroyed, while a console delete stays drift', async () => {
    const b = await desktop(dirB, 'operator', endpointsOf(sim), storeB);
    const victim = provisioned.find((i) => i.agentName === 'build bot')!;
    const adopted = (await b.api.call('instances:list', {})).find((i) => i.serverId === victim.serverId)!;
    const { jobId } = await b.api.call('instances:destroy', { instanceId: adopted.id, confirmName: adopted.name });
    expect(await b.runtime.runner.settled(jobId)).toMatchObject({ status: 'succeeded' });
    const state = await control.state();
    expect(state.servers.some((s) => s.id === victim.serverId)).toBe(false);
    expect(state.devices.some((d) => d.nodeId === victim.nodeId)).toBe(false);
    expect(state.keys.filter((k) => !k.invalid)).toEqual([]);
    const steps = (await b.api.call('jobs:get', { jobId })).events.filter((e) => e.type === 'step_succeeded').map((e) => [e.step, e.data.outcome]);
    // No key to revoke: the adopted VM's key was single-use, spent at its enrollment on A.
    expect(steps).toEqual([
      ['delete_server', 'deleted'],
      ['delete_device', 'deleted'],
      ['revoke_key', 'not_created'],
    ]);

    // Meanwhile someone deletes another of A's servers in the Hetzner console: its device lingers.
    const consoleVictim = provisioned.find((i) => i.paymentReference === 'INV-2026-15')!;
    await consoleDelete(consoleVictim.serverId!);

    const report = await a.api.call('fleet:sync', {});
    expect(report.destroyed).toEqual([victim.id]);
    expect(report.drifted).toEqual([consoleVictim.id]);
    expect(report.adopted).toEqual([]);
    expect(await a.runtime.store.instances.get(victim.id)).toMatchObject({ status: 'destroyed', drift: false });
    expect(await a.runtime.store.instances.get(consoleVictim.id)).toMatchObject({ status: 'running', drift: true });
    await close(b);
  });

  it('lists unowned servers; an operator adopts one and deletes another, both audited', async () => {
    const labels = (job: string) => ({ 'outpost.managed': 'true', 'outpost.job': job, 'outpost.store': 'deadbeef00000000', 'outpost.agent': 'lost_bot' });
    const keepId = await consoleServer('lost-keep', labels('job_lost00000001'));
    const dropId = await consoleServer('lost-drop', labels('job_lost00000002'));
    const b = await desktop(dirB, 'support', endpointsOf(sim), storeB);
    // Listing never calls the clouds: before this run's first sync it knows nothing.
    expect(await b.api.call('unowned:list', {})).toEqual([]);
    expect((await b.api.call('fleet:sync', {})).unowned).toHaveLength(2);
    const unowned = await b.api.call('unowned:list', {});
    expect(unowned.map((u) => u.serverId).sort()).toEqual([keepId, dropId].sort());
    expect(unowned.find((u) => u.serverId === keepId)).toMatchObject({ name: 'lost-keep', agentName: 'lost bot', originStore: 'deadbeef00000000', jobId: 'job_lost00000001', region: 'nbg1' });
    await expect(b.api.call('unowned:adopt', { serverId: keepId })).rejects.toMatchObject({ code: 'read_only' });
    await expect(b.api.call('unowned:adopt', { serverId: foreignId })).rejects.toMatchObject({ code: 'read_only' });

    b.settings.set('role', 'operator');
    await expect(b.api.call('unowned:adopt', { serverId: foreignId })).rejects.toMatchObject({ code: 'forbidden' });
    const kept = await b.api.call('unowned:adopt', { serverId: keepId });
    expect(kept).toMatchObject({ origin: 'adopted', serverId: keepId, originStore: 'deadbeef00000000', agentName: 'lost bot' });
    await expect(b.api.call('unowned:delete', { serverId: dropId, confirmName: 'wrong' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await control.state()).servers.some((s) => s.id === dropId)).toBe(true);
    const { jobId } = await b.api.call('unowned:delete', { serverId: dropId, confirmName: 'lost-drop' });
    expect(await b.runtime.runner.settled(jobId)).toMatchObject({ status: 'succeeded' });
    const state = await control.state();
    expect(state.servers.some((s) => s.id === dropId)).toBe(false);
    // The server without Outpost's label is untouched through all of it.
    expect(state.servers.find((s) => s.id === foreignId)).toMatchObject({ name: 'not-outposts', labels: { 'managed-by': 'terraform' } });
    expect(await b.api.call('unowned:list', {})).toEqual([]);
    const audit = (await b.runtime.store.audit.list({ limit: 50 })).filter((e) => e.action.startsWith('unowned:'));
    expect(audit.map((e) => [e.action, e.role, e.outcome, e.target])).toEqual([
      ['unowned:delete', 'operator', 'ok', `server ${dropId}`],
      ['unowned:delete', 'operator', 'refused', `server ${dropId}`],
      ['unowned:adopt', 'operator', 'ok', `server ${keepId}`],
      ['unowned:adopt', 'operator', 'refused', `server ${foreignId}`],
      ['unowned:adopt', 'support', 'refused', `server ${foreignId}`],
      ['unowned:adopt', 'support', 'refused', `server ${keepId}`],
    ]);
    await close(b);
  });

  it('the same payment recorded on A and B at once still makes one server, and both desktops then show it', async () => {
    const b = await desktop(dirB, 'operator', endpointsOf(sim), storeB);
    const payment = { reference: 'INV-BOTH-1', customer: 'Initech', amount: 19, currency: 'EUR', plan: 'cx22', region: 'fsn1' };
    const [ra, rb] = await Promise.all([a.api.call('payments:record', payment), b.api.call('payments:record', payment)]);
    const jobs = await Promise.all([a.runtime.runner.settled(ra.payment.jobId!), b.runtime.runner.settled(rb.payment.jobId!)]);
    expect(jobs.map((j) => j?.status).sort()).toEqual(['failed', 'succeeded']);
    const servers = (await control.state()).servers.filter((s) => s.labels['outpost.payment'] === 'INV-BOTH-1' && s.status !== 'deleting');
    expect(servers).toHaveLength(1);
    await Promise.all([a.api.call('fleet:sync', {}), b.api.call('fleet:sync', {})]);
    for (const d of [a, b]) {
      const rows = (await d.api.call('instances:list', {})).filter((i) => i.serverId === servers[0]!.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ paymentReference: 'INV-BOTH-1', status: 'running' });
    }
    await close(b);
  });
});
