// A CLI run of the core: the runtime for the data directory, an OutpostApi over it, and the
// events it emits, for one command.
import type { EventName, EventPayload, OutpostApi } from '../../shared/contract';
import { startRuntime, type Mode, type Runtime } from '../boot/runtime';
import { localApi } from '../core/dispatch';
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
  const api = localApi(
    runtime.handlers,
    { transport: 'cli' },
    <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
      const wrapped: Listener = (name, payload) => name === event && listener(payload as EventPayload<E>);
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    runtime.log,
  );
  return {
    runtime,
    api,
    close: () => runtime.close(),
  };
}
