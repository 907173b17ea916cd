// The Electron EventSink: core emits, the window's renderer receives on EVENT_CHANNEL. Events are held
// until the page says it is listening (a reload loses anything sent in between), in a bounded queue:
// events are hints and the renderer re-reads on reload, so dropping the oldest is safe; blocking is not.
import type { WebContents } from 'electron';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Logger } from '../core/log';
import type { EventSink } from '../core/ports';
import { EVENT_CHANNEL } from '../../shared/channel-names';

export interface BridgeMessage {
  event: EventName;
  payload: unknown;
}

export interface EventBridgeOptions {
  /** Most events held while the renderer is not ready; the oldest go first. */
  maxQueue?: number;
  log?: Logger;
}

export class EventBridge implements EventSink {
  private target: WebContents | null = null;
  private ready = false;
  private readonly queue: BridgeMessage[] = [];
  private readonly maxQueue: number;
  private readonly log: Logger | undefined;
  /** Events dropped because the queue was full, since start. */
  dropped = 0;

  constructor(opts: EventBridgeOptions = {}) {
    this.maxQueue = Math.max(1, opts.maxQueue ?? 1000);
    this.log = opts.log;
  }

  get queued(): number {
    return this.queue.length;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Binds the bridge to the main window's contents; events queue until rendererReady. */
  attach(contents: WebContents): void {
    this.target = contents;
    this.ready = false;
    const notReady = (): void => {
      if (this.target === contents) this.ready = false;
    };
    // A reload or crash replaces the page: its listeners are gone until the new preload says ready.
    contents.on('did-start-loading', notReady);
    contents.on('render-process-gone', notReady);
    contents.once('destroyed', () => {
      if (this.target !== contents) return;
      this.target = null;
      this.ready = false;
    });
  }

  /** Called by registerIpc for a trusted 'app:renderer-ready'. */
  rendererReady(sender: WebContents): void {
    if (!this.target || sender.id !== this.target.id) return;
    this.ready = true;
    this.flush();
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const message: BridgeMessage = { event, payload };
    // Anything still queued goes first, so the renderer sees events in emission order.
    if (this.ready && this.queue.length === 0 && this.deliver(message)) return;
    this.enqueue(message);
    if (this.ready) this.flush();
  }

  private enqueue(message: BridgeMessage): void {
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.log?.warn('event queue full; dropping the oldest events', { dropped: this.dropped, max: this.maxQueue });
      }
    }
    this.queue.push(message);
  }

  private flush(): void {
    while (this.ready && this.queue.length > 0) {
      const next = this.queue[0] as BridgeMessage;
      if (!this.deliver(next)) return;
      this.queue.shift();
    }
  }

  private deliver(message: BridgeMessage): boolean {
    const target = this.target;
    if (!target || target.isDestroyed()) {
      this.ready = false;
      return false;
    }
    try {
      target.send(EVENT_CHANNEL, message);
      return true;
    } catch (err) {
      // The frame went away between checks; keep the event for the next page.
      this.ready = false;
      this.log?.warn('event delivery failed; holding events until the renderer is ready', {
        error: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  }
}
