// ActionWatcher: one loop for every pending Hetzner action in the process (DESIGN §4). Each tick is
// one `GET /actions?id=…` per 25 pending ids, whoever asked; the next tick comes when the most
// urgent action is due (see poll-schedule). The loop ends when nothing is pending.
//
// Each action is due at the first poll its own latency allowance needs: after its earliest
// plausible end, from its `progress` readings (linear extrapolation, trusted once two readings
// agree) or else from the durations learned for its command. Every tick reads every pending id,
// so a server's create_server and start_server share their polls: create's own due time costs one
// poll near its end, which is also what detects a failed create within create's own allowance.
import { OutpostError } from '../../../shared/errors';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../ports';
import { realSleep, type SleepFn } from '../http/fetch';
import { ActionFailedError } from '../hetzner/errors';
import { MAX_IDS_PER_REQUEST } from '../hetzner/actions';
import type { Action } from '../hetzner/types';
import { DurationHistory } from './duration-history';
import { DEFAULT_SCHEDULE, estimateEnd, nextPollAt, progressWindow, readingsAgree, type ProgressReading, type ScheduleParams } from './poll-schedule';

const MAX_READINGS = 8;

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
  /** Override the learned expectation for this action. */
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
  lastRunningAt: number;
  /** Its `progress` readings (a few); emptied for good once two disagree (non-linear progress). */
  readings: ProgressReading[];
  progressTrusted: boolean;
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
        entry = { id: actionId, command: options.command, startedAt, expectedMs: options.expectedMs, lastRunningAt: startedAt, readings: [], progressTrusted: true, dueAt: 0, missing: 0, waiters: [] };
        entry.dueAt = this.dueFor(entry, now);
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
    return this.wait(action.id, { command: action.command, ...options });
  }

  /** All of them (e.g. create_server + next_actions); rejects on the first failure. */
  waitAll(actions: readonly Action[], options: WaitOptions = {}): Promise<Action[]> {
    return Promise.all(actions.map((a) => this.waitFor(a, options)));
  }

  /** Absolute time of the next poll this action needs (see poll-schedule). */
  private dueFor(e: Pending, now: number): number {
    const expected = e.expectedMs ?? this.history.expected(e.command);
    const estimate = estimateEnd(e.startedAt, expected, e.readings, this.params);
    return nextPollAt(now, e.startedAt, estimate, this.params, this.options.budget?.level() ?? 1);
  }

  /** Keeps a few readings; drops progress for this action once any two of them disagree. */
  private noteProgress(e: Pending, reading: ProgressReading): void {
    if (!e.progressTrusted || !progressWindow(e.startedAt, reading)) return;
    const last = e.readings[e.readings.length - 1];
    const monotonic = !last || reading.percent >= last.percent;
    if (!monotonic || e.readings.some((r) => !readingsAgree(e.startedAt, r, reading, this.params.progressSlack))) {
      // Not linear in time (stalls, jumps, or it started long before we began to wait): fall
      // back to history and the allowance, which keep the latency target without trusting it.
      e.progressTrusted = false;
      e.readings = [];
      return;
    }
    e.readings.push(reading);
    if (e.readings.length > MAX_READINGS) e.readings.splice(1, 1); // keep the oldest: the best anchor
  }

  /** When it finished, best guess: the linear end of the last reading, within what the polls saw. */
  private finishedAt(e: Pending, now: number): number {
    const last = e.readings[e.readings.length - 1];
    const mid = (e.lastRunningAt + now) / 2;
    if (!last || last.percent >= 100) return mid;
    const guess = e.startedAt + ((last.at - e.startedAt) * 100) / (last.percent + 0.5);
    return Number.isFinite(guess) ? Math.min(now, Math.max(e.lastRunningAt, guess)) : mid;
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
    // Readings are dated when the poll was sent: the API answered at or after this, so the
    // extrapolated end can only come out early (more polls), never late (more latency).
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
        for (const e of this.pending.values()) e.dueAt = this.dueFor(e, now);
      }
      return;
    }
    const now = this.clock.now();
    const byId = new Map(actions.map((a) => [a.id, a]));
    for (const id of ids) {
      const e = this.pending.get(id);
      if (!e) continue;
      const action = byId.get(id);
      if (!action) {
        e.missing += 1;
        if (e.missing >= (this.options.missingLimit ?? 3)) {
          this.settle(id, (w) => w.reject(new OutpostError('not_found', `action ${id} not found`, { apiCode: 'not_found' })));
        } else e.dueAt = this.dueFor(e, now);
        continue;
      }
      e.missing = 0;
      e.command ??= action.command;
      if (action.status === 'running') {
        e.lastRunningAt = now;
        if (typeof action.progress === 'number') this.noteProgress(e, { at: sentAt, percent: action.progress });
        e.dueAt = this.dueFor(e, now);
        continue;
      }
      // Finished somewhere between the last running sighting and now: learn the best guess.
      this.history.record(action.command, this.finishedAt(e, now) - e.startedAt);
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
