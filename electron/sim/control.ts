import { CONTROL_SECRET_HEADER } from './guard';
import type { ActionFaultSpec, EnrollmentFaultSpec, HttpFaultSpec, ShortageSpec } from './faults';
import type { BootOutcome } from './model';
import type { LoggedRequest } from './requestlog';

/** What `GET /_sim/state` answers (wire shapes; see the README block for every field). */
export interface SimStateView {
  now: string;
  nowMs: number;
  timeScale: number;
  seed: number;
  tailnet: { id: string; dnsName: string };
  rateLimit: { capacity: number; refillPerSecond: number; remaining: number };
  servers: {
    id: number;
    name: string;
    status: string;
    serverType: string;
    location: string;
    imageId: number;
    labels: Record<string, string>;
    ipv4: string | null;
    ipv6: string | null;
    created: string;
    locked: boolean;
    userDataBytes: number;
    boot: BootOutcome;
  }[];
  actions: { id: number; command: string; status: string; progress: number; started: string; finished: string | null; resources: { id: number; type: string }[]; error: { code: string; message: string } | null; finishAtMs: number }[];
  sshKeys: { id: number; name: string; fingerprint: string }[];
  keys: (Record<string, unknown> & { id: string; invalid: boolean; invalidReason: string | null; uses: { serverId: number | null; deviceId: string; at: number }[]; rejections: { serverId: number | null; reason: string; at: number }[] })[];
  devices: (Record<string, unknown> & { id: string; nodeId: string; hostname: string; name: string; addresses: string[]; tags: string[]; connectedToControl: boolean; isEphemeral: boolean; serverId: number | null; keyId: string | null; reapAt: string | null })[];
  pendingEvents: number;
}

export interface FaultRuleView extends HttpFaultSpec {
  id: number;
  hits: number;
}

/** A typed client for the simulator's `/_sim/` control and inspection endpoints (tests, benchmarks). */
export class SimControl {
  private readonly base: string;
  private readonly secret: string | null;

  /**
   * `url` is the simulator root (`RunningSimulator.url`), not the Hetzner or Tailscale base;
   * `secret` is `RunningSimulator.controlSecret` (the app's embedded sandbox requires it).
   */
  constructor(url: string, secret: string | null = null) {
    this.base = `${url.replace(/\/+$/, '')}/_sim`;
    this.secret = secret;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.secret !== null) headers[CONTROL_SECRET_HEADER] = this.secret;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path} -> ${res.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  state(): Promise<SimStateView> {
    return this.call('GET', '/state');
  }

  info(): Promise<{ url: string; hetznerUrl: string; tailscaleUrl: string; credentials: Record<string, unknown>; timeScale: number; seed: number }> {
    return this.call('GET', '/info');
  }

  async requests(since = 0): Promise<{ requests: LoggedRequest[]; lastSeq: number }> {
    return this.call('GET', `/requests?since=${since}`);
  }

  addFault(spec: HttpFaultSpec): Promise<FaultRuleView> {
    return this.call('POST', '/faults', spec);
  }

  faults(): Promise<Record<string, unknown>> {
    return this.call('GET', '/faults');
  }

  async removeFault(id: number): Promise<void> {
    await this.call('DELETE', `/faults/${id}`);
  }

  /** Removes every fault of every kind (HTTP rules, action failures, enrollment, shortages). */
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  failActions(spec: ActionFaultSpec): Promise<{ id: number }> {
    return this.call('POST', '/faults/actions', spec);
  }

  /** The node never reaches the coordination server: for one hostname, or every one when omitted. */
  blockEnrollment(spec: EnrollmentFaultSpec = {}): Promise<{ id: number }> {
    return this.call('POST', '/faults/enrollment', spec);
  }

  async makeUnavailable(spec: ShortageSpec): Promise<void> {
    await this.call('POST', '/faults/unavailable', spec);
  }

  async makeAvailable(serverType: string, location: string): Promise<void> {
    await this.call('DELETE', `/faults/unavailable?serverType=${encodeURIComponent(serverType)}&location=${encodeURIComponent(location)}`);
  }

  setRateLimit(opts: { capacity?: number; refillPerSecond?: number; remaining?: number }): Promise<{ capacity: number; refillPerSecond: number; remaining: number }> {
    return this.call('POST', '/ratelimit', opts);
  }

  /** The progress shape of actions created from now on (`/_sim/progress`; see hetzner/progress.ts). */
  progress(): Promise<{ shape: string; shapes: Record<string, string> }> {
    return this.call('GET', '/progress');
  }

  setProgress(shape: string): Promise<{ shape: string; shapes: Record<string, string> }> {
    return this.call('POST', '/progress', { shape });
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** Polls `/_sim/state` until `predicate` holds (simulated time passes on the server's timers). */
  async waitFor<T>(predicate: (state: SimStateView) => T | undefined | null | false, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const value = predicate(await this.state());
      if (value) return value;
      if (Date.now() > deadline) throw new Error('SimControl.waitFor timed out');
      await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 20));
    }
  }
}
