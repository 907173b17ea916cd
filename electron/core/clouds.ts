// The two clouds as Outpost uses them: one Hetzner client (one rate budget), one Tailscale client
// (one OAuth token cache), and the fleet-wide watchers every job shares.
import { ActionWatcher } from './fleet/action-watcher';
import { EnrollmentWatcher } from './fleet/enrollment-watcher';
import { HetznerClient } from './hetzner';
import type { Logger } from './log';
import { systemClock, type Clock } from './ports';
import { TailscaleClient } from './tailscale';

export interface CloudEndpoints {
  hetznerUrl: string;
  hetznerToken: string;
  /** Origin the client appends `/api/v2/…` to (https://api.tailscale.com, or the simulator's). */
  tailscaleUrl: string;
  tailscaleClientId: string;
  tailscaleClientSecret: string;
  /** Tags of the OAuth client: every minted key carries exactly these. */
  tailscaleTags: string[];
}

export interface CloudTuning {
  /** Between device-list ticks of the enrollment watcher. */
  enrollmentIntervalMs?: number;
  /** Per-request deadline for both clients. */
  requestTimeoutMs?: number;
  /** Backoff base for retries (tests shrink it). */
  backoffBaseMs?: number;
}

export interface Clouds {
  hetzner: HetznerClient;
  tailscale: TailscaleClient;
  actions: ActionWatcher;
  enrollment: EnrollmentWatcher;
  tags: string[];
}

export function createClouds(endpoints: CloudEndpoints, options: { clock?: Clock; logger?: Logger; tuning?: CloudTuning } = {}): Clouds {
  const clock = options.clock ?? systemClock;
  const tuning = options.tuning ?? {};
  const backoff = tuning.backoffBaseMs !== undefined ? { baseMs: tuning.backoffBaseMs } : undefined;
  const hetzner = new HetznerClient({
    token: endpoints.hetznerToken,
    baseUrl: endpoints.hetznerUrl,
    // A single 503 must not fail a provision: idempotent requests retry it (POST /servers does not;
    // ensureServer looks the server up by its label before posting again).
    retryUnavailable: true,
    clock,
    logger: options.logger,
    ...(tuning.requestTimeoutMs !== undefined ? { timeoutMs: tuning.requestTimeoutMs } : {}),
    ...(backoff ? { backoff } : {}),
  });
  const tailscale = new TailscaleClient({
    baseUrl: endpoints.tailscaleUrl,
    auth: { oauth: { clientId: endpoints.tailscaleClientId, clientSecret: endpoints.tailscaleClientSecret } },
    clock,
    logger: options.logger,
    ...(tuning.requestTimeoutMs !== undefined ? { timeoutMs: tuning.requestTimeoutMs } : {}),
    ...(backoff ? { backoff } : {}),
  });
  const actions = new ActionWatcher({ actions: hetzner.actions, budget: hetzner.budget, clock, logger: options.logger });
  const enrollment = new EnrollmentWatcher({
    devices: tailscale.devices,
    clock,
    logger: options.logger,
    ...(tuning.enrollmentIntervalMs !== undefined ? { intervalMs: tuning.enrollmentIntervalMs } : {}),
  });
  return { hetzner, tailscale, actions, enrollment, tags: [...endpoints.tailscaleTags] };
}
