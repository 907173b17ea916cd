// Where crash-anywhere kills the `outpost` child. A wall-clock kill lands wherever the machine's load
// puts it, so a rerun of one seed crashed at different points and counted different figures. A kill
// point is an event instead: the child's first request to one endpoint, held by the simulator
// (a one-shot `hang` fault) either before the request takes effect or after it did but before its
// answer arrives. The child is SIGKILLed while it waits, so the crash lands exactly there on every
// run, and the seed alone decides which points a run crashes at.
import type { SimControl } from '../../electron/sim/control';
import type { Rng } from './support';

export type KillPoint =
  /** At once, before the child does anything (the caller's request died: nothing was recorded). */
  | { kind: 'spawn' }
  | {
      kind: 'request';
      method: string;
      path: string;
      phase: 'before' | 'after';
      /** Requests to this exact path pass untouched (a probe that shares the pattern, not the step). */
      pass?: string;
    };

const at = (method: string, path: string, phase: 'before' | 'after' = 'before', pass?: string): KillPoint => ({ kind: 'request', method, path, phase, ...(pass ? { pass } : {}) });

const KEYS = '/tailscale/api/v2/tailnet/*/keys';
const KEY = '/tailscale/api/v2/tailnet/*/keys/*';
const DEVICES = '/tailscale/api/v2/tailnet/*/devices';
const DEVICE = '/tailscale/api/v2/device/*';
const SERVERS = '/hetzner/v1/servers';
const SERVER = '/hetzner/v1/servers/*';
/**
 * Live-mode start-up checks the credentials before any command (GET /locations, an OAuth token, and
 * DELETE /servers/0 as the write-permission probe), so the first request to those endpoints is not
 * a step of the job: token requests are no kill point, and the probe passes a server-delete point.
 */
const WRITE_PROBE = '/hetzner/v1/servers/0';
const ACTIONS = '/hetzner/v1/actions';

/**
 * The crashes that are ambiguous to recover from: a key minted whose answer was lost; a key minted
 * and no server yet (resume must revoke it); a server created whose answer was lost (resume must
 * adopt it, never create a second). Every run crashes at each of them at least once, whatever the seed.
 */
export const AMBIGUOUS_PROVISION_POINTS: KillPoint[] = [at('POST', KEYS, 'after'), at('POST', SERVERS, 'before'), at('POST', SERVERS, 'after')];

/**
 * Every point a provision passes, in order (the catalog refresh runs in the background beside the
 * job, so a kill there would land at a load-dependent step and is left out).
 */
export const PROVISION_POINTS: KillPoint[] = [
  at('POST', KEYS),
  ...AMBIGUOUS_PROVISION_POINTS,
  at('GET', SERVERS),
  at('GET', ACTIONS),
  at('GET', SERVER),
  at('GET', DEVICES),
];

export const DESTROY_POINTS: KillPoint[] = [
  at('DELETE', SERVER, 'before', WRITE_PROBE),
  at('DELETE', SERVER, 'after', WRITE_PROBE),
  at('GET', ACTIONS),
  at('DELETE', DEVICE),
  at('DELETE', DEVICE, 'after'),
  at('GET', KEY),
  at('GET', KEYS),
];

/** A resume continues whatever was interrupted; a point it never passes is a planned kill that missed. */
export const RESUME_POINTS: KillPoint[] = [...PROVISION_POINTS, ...DESTROY_POINTS.filter((p) => !PROVISION_POINTS.some((q) => describeKill(q) === describeKill(p)))];

export function describeKill(p: KillPoint): string {
  return p.kind === 'spawn' ? 'at spawn' : `${p.phase} ${p.method} ${p.path}`;
}

export const pickKill = (rng: Rng, points: readonly KillPoint[]): KillPoint => rng.pick(points);

/** An armed kill point: `hit()` says whether the child is now held there; `disarm()` removes it if unspent. */
export interface ArmedKill {
  hit(): Promise<boolean>;
  disarm(): Promise<void>;
}

/** Installs the one-shot hang for `point` on this lane's simulator (its only client is the lane's child). */
export async function armKill(control: SimControl, point: KillPoint): Promise<ArmedKill> {
  if (point.kind === 'spawn') return { hit: async () => true, disarm: async () => undefined };
  const { lastSeq } = await control.requests();
  // Rules match in the order added: a zero-latency rule lets the shielded path through unchanged.
  const shield = point.pass ? await control.addFault({ method: point.method, path: point.pass, latencyMs: 0 }) : null;
  const rule = await control.addFault({ method: point.method, path: point.path, hang: true, phase: point.phase, count: 1 });
  let since = lastSeq;
  let spent = false;
  return {
    hit: async () => {
      if (spent) return true;
      const { requests, lastSeq: seq } = await control.requests(since);
      since = seq;
      spent = requests.some((r) => r.fault === rule.id);
      return spent;
    },
    // A spent rule has retired itself; removing an unspent one keeps it from catching the next child.
    disarm: async () => {
      if (!spent) await control.removeFault(rule.id).catch(() => undefined);
      if (shield) await control.removeFault(shield.id);
    },
  };
}
