// Rotating JSON-lines log files in the data directory, for a support person (issue 17): bounded in
// size and count, owner-only. Written synchronously: lines are small, the volume low, and a line
// written just before a crash must be on disk.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE_NAME = 'outpost.log';
export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 5;
const FILE_MODE = 0o600;

export interface LogFileOptions {
  /** The data directory. */
  dir: string;
  /** A file is rotated before a line would take it past this size. Default 1 MiB. */
  maxBytes?: number;
  /** The current file plus rotated ones (outpost.log.1 … .N-1); the oldest is deleted. Default 5. */
  maxFiles?: number;
}

/** Paths of the log files, newest first (those that exist). */
export function logFiles(dir: string, maxFiles = DEFAULT_LOG_MAX_FILES): string[] {
  const all = [join(dir, LOG_FILE_NAME)];
  for (let i = 1; i < maxFiles; i++) all.push(join(dir, `${LOG_FILE_NAME}.${i}`));
  return all.filter((f) => existsSync(f));
}

/** A logger sink appending each line to `dir/outpost.log`, rotating by size. Never throws. */
export function rotatingFileSink(options: LogFileOptions): (line: string) => void {
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_LOG_MAX_FILES);
  const current = join(options.dir, LOG_FILE_NAME);
  const rotated = (i: number) => join(options.dir, `${LOG_FILE_NAME}.${i}`);
  let dirReady = false;

  const rotate = () => {
    rmSync(rotated(maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) if (existsSync(rotated(i))) renameSync(rotated(i), rotated(i + 1));
    if (maxFiles > 1) renameSync(current, rotated(1));
    else rmSync(current, { force: true });
  };

  return (line) => {
    try {
      const bytes = Buffer.byteLength(line) + 1;
      if (!dirReady) {
        mkdirSync(options.dir, { recursive: true, mode: 0o700 });
        dirReady = true;
      }
      // The size is read from the file each time: the desktop app and the command may share it.
      const size = statSync(current, { throwIfNoEntry: false })?.size;
      if (size !== undefined && size > 0 && size + bytes > maxBytes) rotate();
      const created = size === undefined || size + bytes > maxBytes;
      appendFileSync(current, `${line}\n`, { mode: FILE_MODE });
      // `mode` applies only when the file is created, and then less the umask: make sure.
      if (created && process.platform !== 'win32') chmodSync(current, FILE_MODE);
    } catch {
      // A full disk or a removed directory must not take the caller down; the stderr sink still has it.
    }
  };
}

/** The last `maxBytes` of the log files, oldest line first, whole lines only. */
export function readRecentLogLines(dir: string, maxBytes = 512 * 1024, maxFiles = DEFAULT_LOG_MAX_FILES): string[] {
  const lines: string[] = [];
  let budget = maxBytes;
  for (const file of logFiles(dir, maxFiles)) {
    const fileLines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (let i = fileLines.length - 1; i >= 0 && budget > 0; i--) {
      budget -= Buffer.byteLength(fileLines[i]!) + 1;
      if (budget >= 0) lines.push(fileLines[i]!);
    }
    if (budget <= 0) break;
  }
  return lines.reverse();
}
