// Shared set-up for client tests against the simulator: start it, talk to its /_sim/ control
// endpoints (faults, request log, rate limit), build clients with fast injected retry sleeps.
import { startSimulator, type SimulatorOptions } from '../../../electron/sim/index';
import { HetznerClient } from '../../../electron/core/hetzner';
import type { RequestEvent } from '../../../electron/core/hetzner/http';
import { TailscaleClient } from '../../../electron/core/tailscale';
import { realSleep } from '../../../electron/core/http/fetch';

export interface LoggedRequest {
  seq: number;
  ts: number;
  api: 'hetzner' | 'tailscale' | 'other';
  method: string;
  path: string;
  status: number;
  code: string | null;
  fault: number | null;
  outcome: 'answered' | 'reset' | 'hang';
}

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export async function start(options: SimulatorOptions = {}): Promise<Sim> {
  return startSimulator({ port: 0, seed: 42, timeScale: 0.01, ...options });
}

async function control<T>(sim: Sim, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sim control ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const fault = (sim: Sim, spec: Record<string, unknown>) => control(sim, 'POST', '/faults', spec);
export const clearFaults = (sim: Sim) => control(sim, 'DELETE', '/faults');
export const setRateLimit = (sim: Sim, spec: { capacity?: number; refillPerSecond?: number; remaining?: number }) =>
  control(sim, 'POST', '/ratelimit', spec);
export const reset = (sim: Sim) => control(sim, 'POST', '/reset');
export const state = (sim: Sim) => control<Record<string, unknown>>(sim, 'GET', '/state');

export async function requests(sim: Sim, since = 0): Promise<LoggedRequest[]> {
  const body = await control<{ requests: LoggedRequest[] }>(sim, 'GET', `/requests?since=${since}`);
  return body.requests;
}

export async function lastSeq(sim: Sim): Promise<number> {
  return (await control<{ lastSeq: number }>(sim, 'GET', `/requests?since=0`)).lastSeq;
}

/** Retry backoffs shrunk 1000× (1 s → 1 ms): tests stay fast, the policy stays the real one. */
export const fastSleep = (ms: number, signal?: AbortSignal) => realSleep(ms / 1000, signal);

export function hetzner(sim: Sim, extra: { timeoutMs?: number; onRequest?: (e: RequestEvent) => void } = {}) {
  return new HetznerClient({
    token: sim.credentials.hetznerToken,
    baseUrl: sim.hetznerUrl,
    sleep: fastSleep,
    timeoutMs: extra.timeoutMs ?? 2000,
    ...(extra.onRequest ? { onRequest: extra.onRequest } : {}),
  });
}

export function tailscale(sim: Sim) {
  return new TailscaleClient({
    baseUrl: sim.tailscaleUrl,
    auth: { oauth: { clientId: sim.credentials.tailscaleClientId, clientSecret: sim.credentials.tailscaleClientSecret } },
    sleep: fastSleep,
    timeoutMs: 2000,
  });
}

/** cloud-config the simulator boots: install and join with the minted key under our hostname. */
export function userData(authKey: string, hostname: string): string {
  return [
    '#cloud-config',
    `hostname: ${hostname}`,
    'runcmd:',
    "  - ['sh', '-c', 'curl -fsSL https://tailscale.com/install.sh | sh']",
    `  - ['tailscale', 'up', '--auth-key=${authKey}', '--hostname=${hostname}', '--timeout=300s']`,
    '',
  ].join('\n');
}

export const labelsFor = (job: string) => ({ 'outpost.managed': 'true', 'outpost.job': job, 'outpost.agent': `a-${job}` });

export function createRequest(name: string, job: string, user_data?: string) {
  return { name, server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1', labels: labelsFor(job), ...(user_data ? { user_data } : {}) };
}
