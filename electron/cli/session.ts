// A CLI run of the core: the runtime for the data directory, an OutpostApi over it, and the
// events it emits, for one command.
import { OutpostError } from '../../shared/errors';
import type { EventName, EventPayload, OutpostApi, Channel, Req, Res } from '../../shared/contract';
import { startRuntime, type Mode, type Runtime } from '../boot/runtime';
import { dispatch } from '../core/dispatch';
import { createLogger } from '../core/log';
import type { EventSink } from '../core/ports';

type Listener = (event: EventName, payload: unknown) => void;

export interface CliOptions {
  dataDir: string;
  mode?: Mode;
  /** Resume unfinished jobs (commands that wait on jobs); read-only commands leave them alone. */
  resume: boolean;
}

export interface CliSession {
  runtime: Runtime;
  api: OutpostApi;
  onEvent(listener: Listener): () => void;
  close(): Promise<void>;
}

export async function openSession(options: CliOptions): Promise<CliSession> {
  const listeners = new Set<Listener>();
  const sink: EventSink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const l of listeners) l(event, payload);
    },
  };
  const runtime = await startRuntime({
    dataDir: options.dataDir,
    mode: options.mode,
    events: sink,
    resume: options.resume,
    fleetSyncIntervalMs: 0,
    // The terminal is for the command's own output; the log says only what goes wrong.
    log: createLogger({ name: 'outpost', level: (process.env.OUTPOST_LOG_LEVEL as never) ?? 'warn' }),
  });
  const api: OutpostApi = {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      const result = await dispatch(runtime.handlers, channel, request, { transport: 'cli' }, runtime.log);
      if (!result.ok) throw OutpostError.fromBody(result.error);
      return result.data as Res<C>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const wrapped: Listener = (name, payload) => name === event && listener(payload as EventPayload<E>);
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
  };
  return {
    runtime,
    api,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => runtime.close(),
  };
}
