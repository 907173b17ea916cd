// Simulator helpers shared by the scenarios: one simulator per client run, its request log and the
// timings it drew (the "floor" every client is measured against).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type LoggedRequest, type RunningSimulator, type SimulatorOptions } from '../../electron/sim';
import { SimControl, type SimStateView } from '../../electron/sim/control';

export interface BenchSim {
  sim: RunningSimulator;
  control: SimControl;
  close(): Promise<void>;
}

export async function startBenchSim(options: SimulatorOptions): Promise<BenchSim> {
  const sim = await startSimulator({ port: 0, ...options });
  return { sim, control: new SimControl(sim.url), close: () => sim.close() };
}

/** The whole request log (the simulator keeps the last 20 000 entries). */
export async function requestLog(control: SimControl): Promise<LoggedRequest[]> {
  return (await control.requests(0)).requests;
}

export type SimAction = SimStateView['actions'][number];

/** Actions of one server, by command. */
export function actionsOf(state: SimStateView, serverId: number): Map<string, SimAction> {
  const out = new Map<string, SimAction>();
  for (const a of state.actions) if (a.resources.some((r) => r.type === 'server' && r.id === serverId)) out.set(a.command, a);
  return out;
}

export interface HcloudResult {
  code: number | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  exitedAt: number;
}

/** Runs the official CLI against a simulator with an empty config file (no context, no cache). */
export async function runHcloud(sim: RunningSimulator, args: string[]): Promise<HcloudResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-bench-hcloud-'));
  const config = path.join(dir, 'cli.toml');
  writeFileSync(config, '');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, HCLOUD_CONFIG: config, HCLOUD_ENDPOINT: sim.hetznerUrl, HCLOUD_TOKEN: sim.credentials.hetznerToken };
  try {
    return await new Promise<HcloudResult>((resolve, reject) => {
      const startedAt = Date.now();
      const child = spawn('hcloud', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'ENOENT' ? new Error('The official Hetzner CLI `hcloud` is not installed (apt-get install hcloud-cli).', { cause: err }) : err);
      });
      child.once('exit', (code) => resolve({ code, stdout, stderr, startedAt, exitedAt: Date.now() }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function hcloudVersion(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('dpkg-query', ['-W', '-f=${Version}', 'hcloud-cli'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', () => resolve('unknown'));
    child.once('exit', () => resolve(out.trim() || 'unknown'));
  });
}

export const hetznerOnly = (log: readonly LoggedRequest[]) => log.filter((r) => r.api === 'hetzner');
export const tailscaleOnly = (log: readonly LoggedRequest[]) => log.filter((r) => r.api === 'tailscale');
export const count429 = (log: readonly LoggedRequest[]) => log.filter((r) => r.status === 429).length;
