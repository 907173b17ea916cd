// Where the clouds are for a mode: sandbox starts the simulators in-process (state kept in the
// data directory, so sandbox VMs survive a restart); live reads endpoints and credentials from the
// environment (scripting) — the vault supplies them in the desktop app.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { OutpostError } from '../../shared/errors';
import type { CloudEndpoints } from '../core/clouds';
import { startSimulator, type RunningSimulator } from '../sim';

export interface SandboxOptions {
  dataDir: string;
  /** 1 = delays near reality; tests use e.g. 0.01. */
  timeScale?: number;
  port?: number;
}

export async function startSandbox(options: SandboxOptions): Promise<{ sim: RunningSimulator; endpoints: CloudEndpoints }> {
  const sim = await startSimulator({
    port: options.port ?? 0,
    timeScale: options.timeScale ?? 1,
    stateFile: join(options.dataDir, 'sandbox-sim.json'),
    // Its control API reads the sandbox credentials and rewrites the world: inside the app only
    // the holder of this run's secret (tests and benchmarks get it from `sim.controlSecret`) may use it.
    controlSecret: randomBytes(32).toString('hex'),
  });
  return { sim, endpoints: sandboxEndpoints(sim) };
}

/** The simulator's URLs and credentials as the clients take them. */
export function sandboxEndpoints(sim: RunningSimulator): CloudEndpoints {
  const c = sim.credentials;
  return {
    hetznerUrl: sim.hetznerUrl,
    hetznerToken: c.hetznerToken,
    tailscaleUrl: sim.tailscaleUrl,
    tailscaleClientId: c.tailscaleClientId,
    tailscaleClientSecret: c.tailscaleClientSecret,
    tailscaleTags: c.tailscaleTags,
  };
}

const ENV_NAMES = {
  hetznerUrl: 'OUTPOST_HETZNER_URL',
  hetznerToken: 'OUTPOST_HETZNER_TOKEN',
  tailscaleUrl: 'OUTPOST_TAILSCALE_URL',
  tailscaleClientId: 'OUTPOST_TS_CLIENT_ID',
  tailscaleClientSecret: 'OUTPOST_TS_CLIENT_SECRET',
  tailscaleTags: 'OUTPOST_TS_TAGS',
} as const;

/** Live endpoints from the environment, or null when no credential is set there at all. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudEndpoints | null {
  if (!env.OUTPOST_HETZNER_TOKEN && !env.OUTPOST_TS_CLIENT_SECRET) return null;
  const missing = (['hetznerToken', 'tailscaleClientId', 'tailscaleClientSecret', 'tailscaleTags'] as const).filter((k) => !env[ENV_NAMES[k]]);
  if (missing.length > 0) {
    throw new OutpostError('invalid_input', `Live mode from the environment needs ${missing.map((k) => ENV_NAMES[k]).join(', ')}.`, {
      hint: 'Set every OUTPOST_* variable listed in the README, or store the tokens in Settings.',
    });
  }
  return {
    hetznerUrl: env.OUTPOST_HETZNER_URL ?? 'https://api.hetzner.cloud/v1',
    hetznerToken: env.OUTPOST_HETZNER_TOKEN!,
    tailscaleUrl: env.OUTPOST_TAILSCALE_URL ?? 'https://api.tailscale.com',
    tailscaleClientId: env.OUTPOST_TS_CLIENT_ID!,
    tailscaleClientSecret: env.OUTPOST_TS_CLIENT_SECRET!,
    tailscaleTags: env.OUTPOST_TS_TAGS!.split(',').map((t) => t.trim()).filter(Boolean),
  };
}
