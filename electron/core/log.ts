// The one logger: JSON lines, and every field, binding and message passes through `redact` on the
// way out, so no call site has to remember to mask anything.
import { rotatingFileSink, type LogFileOptions } from './log-file';
import { redact, redactString } from './redact';

export { registerSecret } from './redact';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

/** What code that only writes needs; small so that shells and tests can supply their own. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The logger `createLogger` makes: JSON lines, redacted, with bound context. */
export interface RedactingLogger extends Logger {
  /** A logger that adds `bindings` to every line (e.g. `{ jobId }`). */
  child(bindings: LogFields): RedactingLogger;
  readonly level: LogLevel;
  isLevelEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Receives one JSON document per call, without a trailing newline. Default: stderr. */
  sink?: (line: string) => void;
  name?: string;
  /**
   * Also append the (same, redacted) lines to rotating files in this directory, at `file.level`
   * (default info) whatever `level` the sink gets: the terminal stays quiet, the file keeps context.
   */
  file?: LogFileOptions & { level?: LogLevel };
  /** For tests. */
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
// A field called `level` or `msg` must not forge the line's own; it is kept as `level_`, `msg_`.
const RESERVED = ['time', 'level', 'name', 'msg'] as const;

const stderrSink = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(options: LoggerOptions = {}): RedactingLogger {
  const level = options.level ?? 'info';
  const sink = options.sink ?? stderrSink;
  const now = options.now ?? (() => new Date());
  const file = options.file ? { level: options.file.level ?? 'info', sink: rotatingFileSink(options.file) } : undefined;
  return makeLogger({ level, sink, now, name: options.name, file }, {});
}

interface Config {
  level: LogLevel;
  sink: (line: string) => void;
  file: { level: LogLevel; sink: (line: string) => void } | undefined;
  now: () => Date;
  name: string | undefined;
}

function makeLogger(config: Config, bindings: LogFields): RedactingLogger {
  const enabled = (l: Exclude<LogLevel, 'silent'>) => RANK[l] >= RANK[config.level];
  const toFile = (l: Exclude<LogLevel, 'silent'>) => config.file !== undefined && RANK[l] >= RANK[config.file.level];
  const write = (l: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (!enabled(l) && !toFile(l)) return;
    // Logging must never take the caller down: a broken sink or an unserialisable value is dropped.
    try {
      const body = redact({ ...bindings, ...fields }, { stacks: config.level === 'debug' }) as LogFields;
      for (const key of RESERVED) {
        if (key in body) {
          body[`${key}_`] = body[key];
          delete body[key];
        }
      }
      const line: LogFields = { time: config.now().toISOString(), level: l };
      if (config.name !== undefined) line.name = config.name;
      line.msg = redactString(String(message));
      const text = JSON.stringify({ ...line, ...body });
      if (toFile(l)) config.file?.sink(text);
      if (enabled(l)) config.sink(text);
    } catch {
      // nothing sensible left to do
    }
  };
  return {
    level: config.level,
    isLevelEnabled: (l) => enabled(l) || toFile(l),
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (more) => makeLogger(config, { ...bindings, ...more }),
  };
}

/** Discards everything; for code paths and tests that need a Logger but no output. */
export const silentLogger: RedactingLogger = createLogger({ level: 'silent', sink: () => undefined });
