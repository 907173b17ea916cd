// EnrollmentWatcher: one device list per tick serves every VM waiting to join the tailnet
// (DESIGN §3 step 6, §4). A device is ours when its hostname is exactly the one we gave, it carries
// every expected tag, its ephemerality matches the key and it was created after the key (minus
// skew). Never by `name`: a lingering ephemeral device pushes ours to `<name>-1`.
import { OutpostError } from '../../../shared/errors';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import { realSleep, type SleepFn } from '../http/fetch';
import type { Device } from '../tailscale/types';

export interface DeviceSource {
  list(options: { tags?: string[]; signal?: AbortSignal }): Promise<Device[]>;
}

export interface EnrollmentWatcherOptions {
  devices: DeviceSource;
  clock?: Clock;
  sleep?: SleepFn;
  /** Between ticks. Default 3000 ms (reference §2.3: 2–5 s). */
  intervalMs?: number;
  /** Tolerated clock difference for `created ≥ notBefore`. Default 60 s. */
  skewMs?: number;
  /** Resolve only once the device is authorized and connected (default true). */
  requireOnline?: boolean;
  /** Consecutive failed ticks before every waiter gets the error. Default 5. */
  failureLimit?: number;
  logger?: Logger;
  onTick?: (tick: { pending: number; at: number }) => void;
}

export interface EnrollmentWaitOptions {
  /** Tags the key carried; the device must have all of them. */
  tags: string[];
  /** The key's `ephemeral` flag. Default true. */
  ephemeral?: boolean;
  /** The key's `created` (Tailscale's own clock: ISO string or epoch ms). */
  notBefore: string | number;
  signal?: AbortSignal | undefined;
}

interface Waiter {
  hostname: string;
  tags: string[];
  ephemeral: boolean;
  notBefore: number;
  resolve: (d: Device) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

const toMs = (t: string | number): number => (typeof t === 'number' ? t : Date.parse(t));

const isOnline = (d: Device): boolean => d.authorized && d.connectedToControl !== false;

/**
 * Pure matcher (exported for tests): the device that is provably this VM's, if any. Among several
 * candidates (timestamps have one-second precision, so a twin from a moment ago can pass the
 * `created` test) an online one beats an offline one — a lingering ephemeral twin is offline —
 * then the newest wins.
 */
export function matchDevice(
  devices: readonly Device[],
  want: { hostname: string; tags: readonly string[]; ephemeral: boolean; notBefore: number },
  skewMs: number,
): Device | undefined {
  let best: Device | undefined;
  let bestRank = [-1, -Infinity] as [number, number];
  for (const d of devices) {
    if (d.hostname !== want.hostname) continue;
    if ((d.isEphemeral ?? false) !== want.ephemeral) continue;
    const tags = d.tags ?? [];
    if (!want.tags.every((t) => tags.includes(t))) continue;
    const created = d.created ? Date.parse(d.created) : NaN;
    if (!Number.isFinite(created) || created < want.notBefore - skewMs) continue;
    const rank: [number, number] = [isOnline(d) ? 1 : 0, created];
    if (rank[0] > bestRank[0] || (rank[0] === bestRank[0] && rank[1] > bestRank[1])) {
      best = d;
      bestRank = rank;
    }
  }
  return best;
}

export class EnrollmentWatcher {
  private readonly clock: Clock;
  private readonly sleep: SleepFn;
  private readonly intervalMs: number;
  private readonly skewMs: number;
  private readonly waiters = new Set<Waiter>();
  private running = false;
  private failures = 0;
  readonly stats = { ticks: 0 };

  constructor(private readonly options: EnrollmentWatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.intervalMs = options.intervalMs ?? 3000;
    this.skewMs = options.skewMs ?? 60_000;
  }

  get pendingCount(): number {
    return this.waiters.size;
  }

  wait(hostname: string, options: EnrollmentWaitOptions): Promise<Device> {
    if (options.signal?.aborted) return Promise.reject(new OutpostError('cancelled', `enrollment wait for ${hostname} cancelled`));
    const notBefore = toMs(options.notBefore);
    if (!Number.isFinite(notBefore)) return Promise.reject(new OutpostError('invalid_input', 'notBefore is not a time'));
    return new Promise<Device>((resolve, reject) => {
      const w: Waiter = { hostname, tags: [...options.tags], ephemeral: options.ephemeral ?? true, notBefore, resolve, reject, signal: options.signal };
      if (options.signal) {
        w.onAbort = () => {
          this.waiters.delete(w);
          reject(new OutpostError('cancelled', `enrollment wait for ${hostname} cancelled`));
        };
        options.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.add(w);
      if (!this.running) {
        this.running = true;
        void this.loop();
      }
    });
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.size > 0) {
        await this.sleep(this.intervalMs);
        if (this.waiters.size > 0) await this.tick();
      }
    } finally {
      this.running = false;
      if (this.waiters.size > 0) {
        this.running = true;
        void this.loop();
      }
    }
  }

  /** One list call for everyone; tags common to all waiters go to the server-side filter. */
  private async tick(): Promise<void> {
    const waiters = [...this.waiters];
    const common = waiters[0]!.tags.filter((t) => waiters.every((w) => w.tags.includes(t)));
    this.stats.ticks += 1;
    this.options.onTick?.({ pending: waiters.length, at: this.clock.now() });
    let devices: Device[];
    try {
      devices = await this.options.devices.list(common.length ? { tags: common } : {});
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      this.options.logger?.warn('enrollment watcher: device list failed', { code: (err as OutpostError).code, failures: this.failures });
      const fatal = err instanceof OutpostError && err.code === 'unauthorized';
      if (fatal || this.failures >= (this.options.failureLimit ?? 5)) for (const w of waiters) this.settle(w, () => w.reject(err));
      return;
    }
    for (const w of waiters) {
      const device = matchDevice(devices, w, this.skewMs);
      if (!device) continue;
      if (this.options.requireOnline === false || isOnline(device)) this.settle(w, () => w.resolve(device));
    }
  }

  private settle(w: Waiter, fn: () => void): void {
    if (!this.waiters.delete(w)) return;
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
    fn();
  }
}
