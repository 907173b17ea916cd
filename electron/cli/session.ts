// A CLI run of the core: the runtime for the data directory, an OutpostApi over it, and the
// events it emits, for one command.
import type { EventName, EventPayload, OutpostApi } from '../../shared/contract';
import { startRuntime, type Mode, type Runtime } from '../boot/runtime';
import { localApi, toErrorBody } from '../core/dispatch';
import { LiveUnavailableError } from '../boot/live-unavailable';
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
    // The data directory's log files (outpost.log) keep info and up for `outpost diagnostics`.
    log: createLogger({ name: 'outpost', level: (process.env.OUTPOST_LOG_LEVEL as never) ?? 'warn', file: { dir: options.dataDir } }),
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

export interface CommandOutput {
  /** --json: every line printed names the mode, errors included (as {type:'error', mode, error}). */
  json: boolean;
  print: (line: string) => void;
}

/**
 * Runs one command in a session and closes it. With --json a failure is also one JSON line on
 * stdout naming the mode (a refused live start: 'live'), so a script never has to guess where it
 * ran; the error is rethrown for the usual message on stderr and a non-zero exit.
 */
export async function inSession(options: CliOptions, out: CommandOutput, body: (session: CliSession) => Promise<number>): Promise<number> {
  const fail = (mode: Mode | null, err: unknown): never => {
    if (out.json) out.print(JSON.stringify({ type: 'error', mode, error: toErrorBody(err) }));
    throw err;
  };
  let session: CliSession;
  try {
    session = await openSession(options);
  } catch (err) {
    return fail(err instanceof LiveUnavailableError ? 'live' : (options.mode ?? null), err);
  }
  try {
    return await body(session);
  } catch (err) {
    return fail(session.runtime.mode, err);
  } finally {
    await session.close();
  }
}
