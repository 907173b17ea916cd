import type { Rng } from './clock';
import { shortageKey } from './hetzner/catalog';

/** A rule for one method + path: what to do instead of (or before) the normal answer. */
export interface HttpFaultSpec {
  /** HTTP method, or `*` (default). */
  method?: string;
  /** Glob on the request path without query, `*` matching anything, e.g. `/hetzner/v1/actions*`. */
  path: string;
  /** Answer with this status instead of the normal response. */
  status?: number;
  /** Hetzner error code for the envelope (defaults by status). */
  code?: string;
  /** Error message (Hetzner envelope) or Tailscale `{message}`. */
  message?: string;
  /** How many matching requests to hit; omitted = unlimited. */
  count?: number;
  /** Chance in [0, 1] that a matching request is hit (seeded); default 1. */
  probability?: number;
  /** Extra milliseconds before answering (alone, it only slows the normal answer down). */
  latencyMs?: number;
  /** Never answer: keep the connection open until the client gives up. */
  hang?: boolean;
  /** Destroy the TCP connection without an answer. */
  reset?: boolean;
  /**
   * Truncate the body to unparseable JSON. Without `status` the request is handled normally first
   * (side effects happen) and the real answer is cut in half.
   */
  malformed?: boolean;
  /**
   * `before` (default): the fault replaces the request. `after`: the request is handled (a server
   * really gets created) and then the hang / reset / latency hits the answer — the ambiguous
   * failure a client must recover from without duplicating or orphaning anything.
   */
  phase?: 'before' | 'after';
}

export interface HttpFaultRule extends HttpFaultSpec {
  id: number;
  method: string;
  hits: number;
}

export interface ActionFaultSpec {
  command: string;
  count?: number;
  probability?: number;
  code?: string;
  message?: string;
}
export interface ActionFaultRule extends ActionFaultSpec {
  id: number;
  hits: number;
}

export interface EnrollmentFaultSpec {
  /** Only this `--hostname`; omitted = every enrollment. */
  hostname?: string;
}
export interface EnrollmentFaultRule {
  id: number;
  hostname: string | null;
  hits: number;
}

export interface ShortageSpec {
  serverType: string;
  location: string;
  /** Keep claiming `available: true` in the catalogue (the upstream race, tf#1147). */
  hidden?: boolean;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class Faults {
  http: HttpFaultRule[] = [];
  actions: ActionFaultRule[] = [];
  enrollment: EnrollmentFaultRule[] = [];
  readonly shortages = new Map<string, { hidden: boolean }>();
  private nextId = 1;

  addHttp(spec: HttpFaultSpec): HttpFaultRule {
    if (typeof spec.path !== 'string' || spec.path === '') throw new TypeError('fault needs a path pattern');
    if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) throw new RangeError('probability must be in [0, 1]');
    if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 100 && spec.status <= 599)) throw new RangeError('status must be an HTTP status');
    const rule: HttpFaultRule = { ...spec, id: this.nextId++, method: (spec.method ?? '*').toUpperCase(), hits: 0 };
    this.http.push(rule);
    return rule;
  }

  addAction(spec: ActionFaultSpec): ActionFaultRule {
    if (typeof spec.command !== 'string' || spec.command === '') throw new TypeError('action fault needs a command');
    const rule: ActionFaultRule = { ...spec, id: this.nextId++, hits: 0 };
    this.actions.push(rule);
    return rule;
  }

  addEnrollment(spec: EnrollmentFaultSpec): EnrollmentFaultRule {
    const rule: EnrollmentFaultRule = { id: this.nextId++, hostname: spec.hostname ?? null, hits: 0 };
    this.enrollment.push(rule);
    return rule;
  }

  addShortage(spec: ShortageSpec): void {
    if (!spec.serverType || !spec.location) throw new TypeError('shortage needs serverType and location');
    this.shortages.set(shortageKey(spec.serverType, spec.location), { hidden: spec.hidden === true });
  }

  removeShortage(spec: ShortageSpec): void {
    this.shortages.delete(shortageKey(spec.serverType, spec.location));
  }

  clear(): void {
    this.http = [];
    this.actions = [];
    this.enrollment = [];
    this.shortages.clear();
  }

  /** The first rule that matches and whose dice roll hits; counts down and retires spent rules. */
  matchHttp(method: string, path: string, rng: Rng): HttpFaultRule | null {
    for (const rule of this.http) {
      if (rule.method !== '*' && rule.method !== method) continue;
      if (!globToRegExp(rule.path).test(path)) continue;
      if (rule.probability !== undefined && !rng.chance(rule.probability)) continue;
      this.spend(rule, this.http, (rest) => (this.http = rest));
      return rule;
    }
    return null;
  }

  actionFailure(command: string, rng: Rng): { code: string; message: string } | null {
    for (const rule of this.actions) {
      if (rule.command !== command && rule.command !== '*') continue;
      if (rule.probability !== undefined && !rng.chance(rule.probability)) continue;
      this.spend(rule, this.actions, (rest) => (this.actions = rest));
      return { code: rule.code ?? 'action_failed', message: rule.message ?? 'Action failed' };
    }
    return null;
  }

  enrollmentSuppressed(hostname: string): boolean {
    const rule = this.enrollment.find((r) => r.hostname === null || r.hostname === hostname);
    if (rule) rule.hits++;
    return rule !== undefined;
  }

  private spend<T extends { hits: number; count?: number }>(rule: T, list: T[], set: (rest: T[]) => void): void {
    rule.hits++;
    if (rule.count !== undefined && rule.hits >= rule.count) set(list.filter((r) => r !== rule));
  }

  snapshot() {
    return {
      http: this.http,
      actions: this.actions,
      enrollment: this.enrollment,
      shortages: [...this.shortages].map(([key, v]) => {
        const [serverType, location] = key.split('@');
        return { serverType, location, hidden: v.hidden };
      }),
    };
  }
}
