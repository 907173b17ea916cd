// Shared pieces of the reliability suites (DESIGN §9): the size switch, a seeded RNG, a harness
// with tunable client/pipeline knobs, an external simulator process, and the invariants — checked
// against the simulator's ground truth (its state), never against Outpost's own view.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Instance, Job, Payment } from '../../shared/domain';
import { TERMINAL_JOB_STATUSES } from '../../shared/domain';
import type { CloudEndpoints } from '../../electron/core/clouds';
import type { EventSink } from '../../electron/core/ports';
import { SimControl, type SimStateView } from '../../electron/sim/control';
import { DEFAULT_PROFILE, type Range, type TimeProfile } from '../../electron/sim/profile';
import type { Store } from '../../electron/core/db/store';
import { startHarness, type Harness, type HarnessOptions } from '../fixtures/pipeline';
import { pollUntil } from '../fixtures/wait-until';

/** `OUTPOST_RELIABILITY=full` runs every suite at the size the issue asks for; otherwise reduced. */
export const FULL = process.env.OUTPOST_RELIABILITY === 'full';
export const sized = <T>(reduced: T, full: T): T => (FULL ? full : reduced);

/** The suite's seed: `OUTPOST_RELIABILITY_SEED` when set (to replay a run), else the default. */
export function suiteSeed(fallback: number): number {
  const env = Number(process.env.OUTPOST_RELIABILITY_SEED);
  return Number.isInteger(env) && env > 0 ? env : fallback;
}

export interface Rng {
  (): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, good enough to pick kill moments and fault cells repeatably. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.pick = (items) => items[Math.floor(next() * items.length)]!;
  next.chance = (p) => next() < p;
  return next;
}

export const isTerminal = (status: Job['status']): boolean => (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);

/** Counts events instead of keeping them, so a long run's memory is Outpost's, not the test's. */
export class CountingSink implements EventSink {
  count = 0;
  emit(): void {
    this.count++;
  }
}

export type RelHarness = Harness;
export type RelHarnessOptions = HarnessOptions;

/** The pipeline harness, quiet by default: events are only counted. */
export const startRelHarness = (options: RelHarnessOptions = {}): Promise<RelHarness> =>
  startHarness({ events: new CountingSink(), ...options });

const SIM_CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));

export interface ExternalSim {
  url: string;
  endpoints: CloudEndpoints;
  control: SimControl;
  child: ChildProcess;
  close(): Promise<void>;
}

/** The simulator as a child process, so its memory and CPU are not the measured process's. */
export async function startExternalSim(opts: { timeScale: number; seed: number; rateLimit?: { capacity: number; refillPerSecond: number }; profile?: Partial<TimeProfile> }): Promise<ExternalSim> {
  const child = spawn(process.execPath, ['--import', 'tsx', SIM_CHILD, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OUTPOST_LOG_LEVEL: 'error' } });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout!.off('data', onData);
        resolve(out.slice(0, nl));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before printing its URLs: ${stderr}`)));
  });
  const info = JSON.parse(line) as { hetznerUrl: string; tailscaleUrl: string; hetznerToken: string; tailscaleClientId: string; tailscaleClientSecret: string; tailscaleTags: string[] };
  const url = info.hetznerUrl.replace(/\/hetzner\/v1\/?$/, '');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    endpoints: {
      hetznerUrl: info.hetznerUrl,
      hetznerToken: info.hetznerToken,
      tailscaleUrl: info.tailscaleUrl,
      tailscaleClientId: info.tailscaleClientId,
      tailscaleClientSecret: info.tailscaleClientSecret,
      tailscaleTags: info.tailscaleTags,
    },
    control: new SimControl(url),
    child,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What one store says, as far as the invariants need it. */
export interface StoreView {
  label: string;
  jobs: Job[];
  instances: Instance[];
  payments: Payment[];
  integrity: string[];
}

export async function viewOf(label: string, store: Store): Promise<StoreView> {
  return {
    label,
    jobs: await store.jobs.list({ limit: 1_000_000 }),
    instances: await store.instances.list({ includeDestroyed: true }),
    payments: await store.payments.list(1_000_000),
    integrity: await store.integrityProblems(),
  };
}

/**
 * The invariants of issue 8, against the simulator's state: every job terminal; at most one server
 * per payment and per job; no server, device or still-valid key that no running instance owns;
 * every running instance backed by its server and device; the store's integrity check clean.
 * Returns the violations (empty = all hold), each one line, so a failure says exactly what broke.
 */
export function invariantViolations(state: SimStateView, views: StoreView[]): string[] {
  const problems: string[] = [];
  const running = views.flatMap((v) => v.instances.filter((i) => i.status === 'running').map((i) => ({ ...i, store: v.label })));
  const ownedServers = new Set(running.map((i) => i.serverId));
  const ownedNodes = new Set(running.map((i) => i.nodeId));
  for (const v of views) {
    for (const j of v.jobs) if (!isTerminal(j.status)) problems.push(`${v.label}: job ${j.id} (${j.kind}) is ${j.status}, not terminal`);
    for (const p of v.payments) {
      if (p.status !== 'fulfilled' && p.status !== 'failed') problems.push(`${v.label}: payment ${p.reference} is ${p.status}`);
    }
    if (v.integrity.length) problems.push(`${v.label}: integrity_check: ${v.integrity.join('; ')}`);
  }
  const managed = state.servers.filter((s) => s.labels['outpost.managed'] === 'true');
  const countBy = (label: string) => {
    const m = new Map<string, number[]>();
    for (const s of managed) {
      const value = s.labels[label];
      if (value) m.set(value, [...(m.get(value) ?? []), s.id]);
    }
    return m;
  };
  for (const [ref, ids] of countBy('outpost.payment')) if (ids.length > 1) problems.push(`payment ${ref} has ${ids.length} servers: ${ids.join(', ')}`);
  for (const [job, ids] of countBy('outpost.job')) if (ids.length > 1) problems.push(`job ${job} has ${ids.length} servers: ${ids.join(', ')}`);
  for (const s of managed) {
    if (!ownedServers.has(s.id)) problems.push(`orphan server ${s.id} ${s.name} (${s.status}, job ${s.labels['outpost.job']})`);
  }
  for (const d of state.devices) if (!ownedNodes.has(d.nodeId)) problems.push(`orphan device ${d.nodeId} ${d.hostname}`);
  for (const k of state.keys) if (!k.invalid) problems.push(`valid unused key ${k.id}`);
  const serverIds = new Set(state.servers.map((s) => s.id));
  const nodeIds = new Set(state.devices.map((d) => d.nodeId));
  for (const i of running) {
    if (i.serverId === null || !serverIds.has(i.serverId)) problems.push(`${i.store}: running instance ${i.name} has no server (${i.serverId}) in the cloud`);
    if (i.nodeId === null || !nodeIds.has(i.nodeId)) problems.push(`${i.store}: running instance ${i.name} has no device (${i.nodeId}) in the tailnet`);
  }
  for (const v of views) {
    for (const p of v.payments.filter((x) => x.status === 'fulfilled')) {
      const inst = v.instances.find((i) => i.id === p.instanceId);
      if (!inst || (inst.status !== 'running' && inst.status !== 'destroyed')) problems.push(`${v.label}: fulfilled payment ${p.reference} has instance ${inst?.status ?? 'none'}`);
    }
  }
  return problems;
}

/** Violations can be transient only while a delete action finishes; poll briefly before judging. */
export async function settledViolations(control: SimControl, views: () => Promise<StoreView[]>, timeoutMs = 5_000): Promise<string[]> {
  let problems: string[] = [];
  await pollUntil(async () => (problems = invariantViolations(await control.state(), await views())).length === 0, timeoutMs, 100);
  return problems;
}

export function memory(): { heapUsedMb: number; rssMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heapUsedMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

/**
 * A time profile for a simulator clock at scale 1 whose step delays (create, start, enrollment,
 * delete) are the default profile's times `factor`. At a time scale of 0.01 the 30-minute auth keys
 * Outpost mints expire, and offline ephemeral devices are reaped, 18 s (wall) after the fact, so a
 * key or device leaked early in a run vanished before the check (and under load a key could expire
 * before its VM booted). Here keys keep Outpost's own 30 minutes and reaping the default 30 minutes:
 * longer than any run, which `evidenceProblems` checks.
 */
export function scaledSteps(factor: number): Partial<TimeProfile> {
  const scale = (r: Range): Range => [r[0] * factor, r[1] * factor];
  return {
    createServer: scale(DEFAULT_PROFILE.createServer),
    startServer: scale(DEFAULT_PROFILE.startServer),
    enrollment: scale(DEFAULT_PROFILE.enrollment),
    deleteServer: scale(DEFAULT_PROFILE.deleteServer),
  };
}
/** The steps crash-anywhere and the fault matrix always ran at (time scale 0.01), keys and reaping unscaled. */
export const COMPRESSED_STEPS = scaledSteps(0.01);
/** Wall milliseconds before the first ephemeral device can be reaped on such a simulator. */
export const REAP_AFTER_MS = DEFAULT_PROFILE.ephemeralReap[0] * 1000;

/**
 * What would make the invariants blind: a key that expired (it was neither used nor revoked in
 * time, and no longer shows as valid) or a run long enough for a leaked device to be reaped.
 */
export function evidenceProblems(state: SimStateView, runStartedMs: number): string[] {
  const problems = state.keys.filter((k) => /expired/.test(k.invalidReason ?? '')).map((k) => `key ${k.id} expired during the run (${k.uses.length} uses): a leak of it could no longer be seen`);
  if (Date.now() - runStartedMs >= REAP_AFTER_MS) problems.push(`the run lasted past the ephemeral reap time (${REAP_AFTER_MS} ms): an orphan device could have been reaped unseen`);
  return problems;
}

export const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';
