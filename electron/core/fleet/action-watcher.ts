// ActionWatcher: one loop for every pending Hetzner action in the process (DESIGN §4). Each tick is
// one `GET /actions?id=…` per 25 pending ids, whoever asked; the next tick comes when the most
// urgent action is due (see poll-schedule for when that is and why). Every tick reads every
// pending id, so N creates at once share their polls, and each reading counts for its action:
// an action read early by another's tick restarts its own done / not-done chain from there.
//
// The promise: each action is detected within max(1 s, 10 % of its elapsed time) whatever its
// `progress` does (history may move the first poll to the shortest learned duration; progress
// may only pull a poll earlier). A failed create is therefore seen within its own allowance too.
import { OutpostError } from '../../../shared/errors';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import { realSleep, type SleepFn } from '../http/fetch';
import { ActionFailedError } from '../hetzner/errors';
import { MAX_IDS_PER_REQUEST } from '../hetzner/actions';
import type { Action } from '../hetzner/types';
import { DurationHistory } from './duration-history';
import { DEFAULT_SCHEDULE, allowance, earliestEnd, nextPollAt, type ProgressReading, type ScheduleParams } from './poll-schedule';

/** An action whose `started` is further back than this began before the wait (see startOf). */
const OLD_ACTION_MS = 3000;
/** Round trips remembered for the answer-time margin (the largest of them is used). */
const RTT_WINDOW = 8;

export interface ActionSource {
  getMany(ids: readonly number[], options?: { signal?: AbortSignal; priority?: 'wait' }): Promise<Action[]>;
}

export interface ActionWatcherOptions {
  actions: ActionSource;
  /** The Hetzner RateBudget (anything with level() 0..1): intervals stretch when it is low. */
  budget?: { level(): number };
  clock?: Clock;
  sleep?: SleepFn;
  schedule?: Partial<ScheduleParams>;
  history?: DurationHistory;
  logger?: Logger;
  /** Ticks an id may be missing from answers before its waiters get not_found. Default 3. */
  missingLimit?: number;
  /** Consecutive failed ticks before every waiter gets the error. Default 5. */
  failureLimit?: number;
  onTick?: (tick: { ids: number; requests: number; at: number }) => void;
}

export interface WaitOptions {
  signal?: AbortSignal | undefined;
  /** Shortest plausible duration of this action (overrides what history learned for its command). */
  expectedMs?: number;
  /** Lets the schedule use history before the first poll tells the command. */
  command?: string;
  /** When the action started, local clock (default: now). */
  startedAt?: number;
}

interface Waiter {
  resolve: (a: Action) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

interface Pending {
  id: number;
  command: string | undefined;
  startedAt: number;
  expectedMs: number | undefined;
  /** Sent time of the last poll that saw it running (its start before any poll). */
  lastRunningAt: number;
  /** Its latest `progress` reading: a hint that may only make a poll earlier. */
  progress: ProgressReading | undefined;
  /** A probe pulled in by progress was already spent (one per action), or is the one now due. */
  probed: boolean;
  probeDue: boolean;
  dueAt: number;
  missing: number;
  waiters: Waiter[];
}

export class ActionWatcher {
  readonly history: DurationHistory;
  private readonly clock: Clock;
  private readonly sleep: SleepFn;
  private readonly params: ScheduleParams;
  private readonly pending = new Map<number, Pending>();
  private running = false;
  private wake: AbortController | undefined;
  private sleepingUntil = Infinity;
  private failures = 0;
  /** Recent round trips of a tick (sent → answered), to poll that much earlier. */
  private readonly rtts: number[] = [];
  /** Ticks and requests since construction (benchmarks read them). */
  readonly stats = { ticks: 0, requests: 0 };

  constructor(private readonly options: ActionWatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.params = { ...DEFAULT_SCHEDULE, ...options.schedule };
    this.history = options.history ?? new DurationHistory();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Resolves with the finished action on success; rejects with ActionFailedError on `error`. */
  wait(actionId: number, options: WaitOptions = {}): Promise<Action> {
    if (options.signal?.aborted) return Promise.reject(new OutpostError('cancelled', `wait for action ${actionId} cancelled`));
    return new Promise<Action>((resolve, reject) => {
      const now = this.clock.now();
      let entry = this.pending.get(actionId);
      if (!entry) {
        const startedAt = options.startedAt ?? now;
        entry = { id: actionId, command: options.command, startedAt, expectedMs: options.expectedMs, lastRunningAt: startedAt, progress: undefined, probed: false, probeDue: false, dueAt: 0, missing: 0, waiters: [] };
        entry.dueAt = this.dueFor(entry);
        this.pending.set(actionId, entry);
      }
      const waiter: Waiter = { resolve, reject, signal: options.signal };
      if (options.signal) {
        const e = entry;
        waiter.onAbort = () => {
          e.waiters = e.waiters.filter((w) => w !== waiter);
          if (e.waiters.length === 0 && this.pending.get(e.id) === e) this.pending.delete(e.id);
          reject(new OutpostError('cancelled', `wait for action ${actionId} cancelled`));
        };
        options.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      entry.waiters.push(waiter);
      this.kick(entry.dueAt);
    });
  }

  /** Waits for an action already in hand; finished ones settle without a request. */
  waitFor(action: Action, options: WaitOptions = {}): Promise<Action> {
    if (action.status === 'success') return Promise.resolve(action);
    if (action.status === 'error') return Promise.reject(new ActionFailedError(action));
    return this.wait(action.id, { command: action.command, startedAt: this.startOf(action), ...options });
  }

  /**
   * An action that began well before this wait (found again after a restart) is dated by its own
   * `started`, so that a learned duration is counted from when it really began, not from now:
   * counted from now, the first poll could come long after its end. A fresh one (a POST answer,
   * `started` within the last seconds, whole seconds on the API's clock) is dated now.
   */
  private startOf(action: Action): number | undefined {
    const now = this.clock.now();
    const started = Date.parse(action.started);
    return Number.isFinite(started) && now - started > OLD_ACTION_MS ? started : undefined;
  }

  /** All of them (e.g. create_server + next_actions); rejects on the first failure. */
  waitAll(actions: readonly Action[], options: WaitOptions = {}): Promise<Action[]> {
    return Promise.all(actions.map((a) => this.waitFor(a, options)));
  }

  /** Absolute time of the next poll this action needs (see poll-schedule). */
  private dueFor(e: Pending): number {
    const shortest = e.expectedMs ?? this.history.shortest(e.command);
    const end = earliestEnd(e.startedAt, shortest, this.params);
    const timing = { startedAt: e.startedAt, lastRunningAt: e.lastRunningAt, earliestEnd: end, progress: e.progress, probeAllowed: !e.probed };
    const budget = this.options.budget?.level() ?? 1;
    const margin = Math.max(0, ...this.rtts);
    const due = nextPollAt(timing, this.params, budget, margin);
    // Earlier than the schedule without progress: this poll is progress's one probe.
    e.probeDue = !e.probed && due < nextPollAt({ ...timing, probeAllowed: false }, this.params, budget, margin);
    return due;
  }

  /**
   * How long it ran, on the early side (history keeps the shortest): the API's own `started` and
   * `finished` (whole seconds, so the true duration exceeds their difference minus 1 s), kept
   * within what the polls saw locally.
   */
  private durationOf(e: Pending, action: Action, now: number): number {
    const lo = e.lastRunningAt - e.startedAt;
    const hi = now - e.startedAt;
    const api = action.finished ? Date.parse(action.finished) - Date.parse(action.started) - 1000 : NaN;
    return Number.isFinite(api) ? Math.min(hi, Math.max(lo, api)) : lo;
  }

  /** Starts the loop, or wakes it if this entry is due before its current sleep ends. */
  private kick(dueAt: number): void {
    if (!this.running) {
      this.running = true;
      void this.loop();
    } else if (dueAt < this.sleepingUntil) {
      this.wake?.abort();
    }
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const now = this.clock.now();
        const due = Math.min(...[...this.pending.values()].map((e) => e.dueAt));
        if (due > now) {
          this.wake = new AbortController();
          this.sleepingUntil = due;
          try {
            await this.sleep(due - now, this.wake.signal);
          } catch {
            // Woken early by a new, more urgent wait: recompute.
          } finally {
            this.sleepingUntil = Infinity;
            this.wake = undefined;
          }
          continue;
        }
        await this.tick();
      }
    } finally {
      this.running = false;
      // A wait registered while the final tick was settling must not be stranded.
      if (this.pending.size > 0) this.kick(0);
    }
  }

  private async tick(): Promise<void> {
    const ids = [...this.pending.keys()];
    const sentAt = this.clock.now();
    const requests = Math.ceil(ids.length / MAX_IDS_PER_REQUEST);
    this.stats.ticks += 1;
    this.stats.requests += requests;
    this.options.onTick?.({ ids: ids.length, requests, at: this.clock.now() });
    let actions: Action[];
    try {
      actions = await this.options.actions.getMany(ids, { priority: 'wait' });
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      const fatal = err instanceof OutpostError && (err.code === 'unauthorized' || err.code === 'read_only');
      this.options.logger?.warn('action watcher: poll failed', { code: (err as OutpostError).code, failures: this.failures });
      const now = this.clock.now();
      if (fatal || this.failures >= (this.options.failureLimit ?? 5)) {
        for (const id of ids) this.settle(id, (w) => w.reject(err));
      } else {
        // Retry no faster than the allowance: a failing API is not hammered while it recovers.
        for (const e of this.pending.values()) e.dueAt = Math.max(this.dueFor(e), now + allowance(now - e.startedAt, this.params));
      }
      return;
    }
    const now = this.clock.now();
    this.rtts.push(now - sentAt);
    if (this.rtts.length > RTT_WINDOW) this.rtts.shift();
    const byId = new Map(actions.map((a) => [a.id, a]));
    for (const id of ids) {
      const e = this.pending.get(id);
      if (!e) continue;
      const action = byId.get(id);
      if (!action) {
        e.missing += 1;
        if (e.missing >= (this.options.missingLimit ?? 3)) {
          this.settle(id, (w) => w.reject(new OutpostError('not_found', `action ${id} not found`, { apiCode: 'not_found' })));
        } else e.dueAt = Math.max(this.dueFor(e), now + allowance(now - e.startedAt, this.params));
        continue;
      }
      e.missing = 0;
      e.command ??= action.command;
      if (action.status === 'running') {
        // Dated when the poll was sent: the API answered at or after it, so the chain can only
        // come out early.
        if (e.probeDue && sentAt >= e.dueAt) e.probed = true;
        e.lastRunningAt = Math.max(e.lastRunningAt, sentAt);
        if (typeof action.progress === 'number' && Number.isFinite(action.progress)) e.progress = { at: sentAt, percent: action.progress };
        e.dueAt = this.dueFor(e);
        continue;
      }
      this.history.record(action.command, this.durationOf(e, action, now));
      if (action.status === 'success') this.settle(id, (w) => w.resolve(action));
      else this.settle(id, (w) => w.reject(new ActionFailedError(action)));
    }
  }

  private settle(id: number, fn: (w: Waiter) => void): void {
    const e = this.pending.get(id);
    if (!e) return;
    this.pending.delete(id);
    for (const w of e.waiters) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      fn(w);
    }
  }
}
