import { type Clock, Rng, deriveSeed } from './clock';
import { Faults } from './faults';
import type { ActionRecord, SimEvent, SimState } from './model';
import type { Range, TimeProfile } from './profile';

export type EventHandler = (world: World, event: SimEvent) => void;

/**
 * The simulated clouds' shared state and its scheduler. Time-driven changes (actions ending,
 * devices enrolling, ephemeral nodes being reaped) are events with a due time; they are applied
 * lazily before every request and by one timer armed for the next due event, so what a client
 * observes never depends on timer jitter and a restarted simulator catches up on load.
 */
export class World {
  readonly faults = new Faults();
  /** Ids, addresses, delays: everything that should repeat with the same seed. */
  readonly rng: Rng;
  /** Per-request randomness (correlation ids, fault dice), kept apart from the world's stream. */
  readonly requestRng: Rng;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private handler: EventHandler = () => {};
  private onChange: () => void = () => {};
  private closed = false;

  constructor(
    public state: SimState,
    readonly clock: Clock,
    readonly profile: TimeProfile,
  ) {
    this.rng = new Rng(state.rng.world ?? deriveSeed(state.seed, 'world'));
    this.requestRng = new Rng(deriveSeed(state.seed, 'requests'));
  }

  setEventHandler(handler: EventHandler): void {
    this.handler = handler;
  }

  setChangeListener(listener: () => void): void {
    this.onChange = listener;
  }

  now(): number {
    return this.clock.now();
  }

  /** A delay drawn from a profile range, in real milliseconds. */
  delayMs(range: Range): number {
    return this.clock.scaleMs(this.rng.between(range[0], range[1]));
  }

  nextServerId(): number {
    return ++this.state.counters.server;
  }

  /** Action ids climb by a few per action like upstream's (shared across all projects). */
  nextActionId(): number {
    this.state.counters.action += this.rng.int(1, 17);
    return this.state.counters.action;
  }

  schedule(event: SimEvent): void {
    this.state.events.push(event);
    this.armTimer();
  }

  unschedule(predicate: (event: SimEvent) => boolean): void {
    this.state.events = this.state.events.filter((e) => !predicate(e));
  }

  newAction(command: string, resources: ActionRecord['resources'], started: number, finishAt: number): ActionRecord {
    const action: ActionRecord = {
      id: this.nextActionId(),
      command,
      status: 'running',
      started,
      finishAt,
      finished: null,
      resources,
      failWith: this.faults.actionFailure(command, this.requestRng),
      error: null,
      progressAtEnd: null,
    };
    this.state.actions.push(action);
    this.schedule({ at: finishAt, kind: 'action_end', actionId: action.id });
    return action;
  }

  /** Applies every event that is due, in due-time order (stable for ties). */
  advance(): void {
    const now = this.now();
    let applied = false;
    for (;;) {
      let index = -1;
      let best = Infinity;
      this.state.events.forEach((event, i) => {
        if (event.at <= now && event.at < best) {
          best = event.at;
          index = i;
        }
      });
      if (index < 0) break;
      const [event] = this.state.events.splice(index, 1);
      if (event) this.handler(this, event);
      applied = true;
    }
    if (applied) this.changed();
    this.armTimer();
  }

  /** Call after every mutation: persists (debounced) and re-arms the scheduler. */
  changed(): void {
    this.state.rng.world = this.rng.state;
    this.onChange();
    this.armTimer();
  }

  private armTimer(): void {
    if (this.closed) return;
    const next = this.state.events.reduce((min, e) => Math.min(min, e.at), Infinity);
    if (next === Infinity || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        this.advance();
      },
      Math.min(2 ** 31 - 1, Math.max(0, next - this.now())),
    );
    this.timer.unref();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
