// Shared set-up for client tests against the simulator: start it, reach its /_sim/ control endpoints
// (faults, request log, rate limit) through SimControl, build clients with fast injected retry sleeps.
import { startSimulator, type HttpFaultSpec, type LoggedRequest, type SimulatorOptions } from '../../../electron/sim/index';
import { SimControl } from '../../../electron/sim/control';
import { HetznerClient } from '../../../electron/core/hetzner';
import type { RequestEvent } from '../../../electron/core/hetzner/http';
import { TailscaleClient } from '../../../electron/core/tailscale';
import { realSleep } from '../../../electron/core/http/fetch';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export async function start(options: SimulatorOptions = {}): Promise<Sim> {
  return startSimulator({ port: 0, seed: 42, timeScale: 0.01, ...options });
}

// The simulator's own typed control client, one per simulator.
const controls = new WeakMap<Sim, SimControl>();
const control = (sim: Sim): SimControl => {
  let c = controls.get(sim);
  if (!c) controls.set(sim, (c = new SimControl(sim.url)));
  return c;
};

export const fault = (sim: Sim, spec: HttpFaultSpec) => control(sim).addFault(spec);
export const clearFaults = (sim: Sim) => control(sim).clearFaults();
export const setRateLimit = (sim: Sim, spec: { capacity?: number; refillPerSecond?: number; remaining?: number }) => control(sim).setRateLimit(spec);
export const reset = (sim: Sim) => control(sim).reset();
export const state = (sim: Sim) => control(sim).state();
export const requests = async (sim: Sim, since = 0): Promise<LoggedRequest[]> => (await control(sim).requests(since)).requests;
export const lastSeq = async (sim: Sim): Promise<number> => (await control(sim).requests(0)).lastSeq;

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
