import type { AddressInfo } from 'node:net';
import { randomSeed, systemClock } from './clock';
import { TokenBucket } from './hetzner/ratelimit';
import type { SandboxCredentials } from './model';
import { type TimeProfile, resolveProfile } from './profile';
import { RequestLog } from './requestlog';
import { createSimServer, dispatchEvent } from './server';
import { StatePersister, freshState, generateCredentials, loadState } from './state';
import { World } from './world';
import { OutpostError } from '../../shared/errors';

export type { SandboxCredentials } from './model';
export type { TimeProfile, Range } from './profile';
export { DEFAULT_PROFILE } from './profile';
export type { HttpFaultSpec, ActionFaultSpec, EnrollmentFaultSpec, ShortageSpec } from './faults';
export type { LoggedRequest } from './requestlog';

export interface SimulatorOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1; only loopback addresses are accepted. */
  host?: string;
  /** Multiplies every simulated delay (0.01 makes a 20 s create take 0.2 s). Default 1. */
  timeScale?: number;
  seed?: number;
  /** Persist state here (JSON) and load it at start, so sandbox VMs survive a restart. */
  stateFile?: string;
  profile?: Partial<TimeProfile>;
  credentials?: Partial<SandboxCredentials>;
  rateLimit?: { capacity: number; refillPerSecond: number };
  /** Keep response bodies in the request log (conformance tests). */
  recordBodies?: boolean;
  /**
   * The app's embedded sandbox passes a per-run secret: `/_sim/` (which can read the credentials and
   * rewrite the world) then answers only requests carrying it. Without one the control API is open
   * to loopback clients, as `outpost sim` documents.
   */
  controlSecret?: string;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/hetzner/v1'`, used like `https://api.hetzner.cloud/v1`. */
  hetznerUrl: string;
  /** `url + '/tailscale'`: clients append `/api/v2/...` as to `https://api.tailscale.com`. */
  tailscaleUrl: string;
  credentials: SandboxCredentials;
  /** What `/_sim/` requires (pass it to `SimControl`), or null when the control API is open. */
  controlSecret: string | null;
  close(): Promise<void>;
}

function assertLoopback(host: string): void {
  if (!(host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`the simulator listens on loopback only (got host ${host})`);
  }
}

// Long enough that it cannot be guessed; a short or empty one would be an open door that looks shut.
const MIN_SECRET_LENGTH = 32;

function assertControlSecret(secret: string | undefined): void {
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH)) {
    throw new OutpostError('invalid_input', `controlSecret must be a string of at least ${MIN_SECRET_LENGTH} characters.`, {
      hint: "Pass randomBytes(32).toString('hex'), or leave controlSecret out for an open loopback control API.",
    });
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  assertControlSecret(options.controlSecret);
  const clock = systemClock(options.timeScale ?? 1);
  const loaded = options.stateFile ? loadState(options.stateFile) : null;
  const seed = loaded?.seed ?? options.seed ?? randomSeed();
  const state = loaded ?? freshState(seed, { ...generateCredentials(seed), ...options.credentials });
  if (loaded && options.credentials) state.credentials = { ...state.credentials, ...options.credentials };

  const world = new World(state, clock, resolveProfile(options.profile));
  world.setEventHandler(dispatchEvent);
  const persister = options.stateFile ? new StatePersister(options.stateFile, () => world.state) : null;
  if (persister) {
    world.setChangeListener(() => persister.markDirty());
    persister.markDirty();
  }
  const rate = options.rateLimit ?? { capacity: 3600, refillPerSecond: 1 };
  const bucket = new TokenBucket(rate.capacity, rate.refillPerSecond, () => Date.now());
  const log = new RequestLog();
  // In-flight actions, boots and reaps from before a restart continue (or finish) now.
  world.advance();

  let urls = { url: '', hetznerUrl: '', tailscaleUrl: '' };
  const server = createSimServer({
    world,
    bucket,
    log,
    recordBodies: options.recordBodies === true,
    port: () => (server.address() as AddressInfo).port,
    controlSecret: options.controlSecret ?? null,
    credentials: () => ({ readWrite: world.state.credentials.hetznerToken, readOnly: world.state.credentials.hetznerReadOnlyToken }),
    info: () => ({ ...urls, credentials: world.state.credentials, timeScale: clock.timeScale, seed: world.state.seed }),
    reset: () => {
      world.state = freshState(world.state.seed, world.state.credentials);
      world.faults.clear();
      bucket.reset();
      log.clear();
      world.changed();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  urls = { url, hetznerUrl: `${url}/hetzner/v1`, tailscaleUrl: `${url}/tailscale` };

  let closing: Promise<void> | null = null;
  return {
    ...urls,
    credentials: { ...state.credentials, tailscaleTags: [...state.credentials.tailscaleTags] },
    controlSecret: options.controlSecret ?? null,
    close() {
      closing ??= new Promise<void>((resolve) => {
        world.stop();
        persister?.flush();
        server.close(() => resolve());
        // Hanging (fault-injected) and keep-alive connections would hold close() forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
