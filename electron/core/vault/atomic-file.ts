// Crash-safe replacement of a small private file: write a temp file (mode 0600, same directory so
// rename stays on one filesystem), fsync it, rename over the target, fsync the directory. A crash at
// any point leaves either the old file or the new one, never a torn mix; a leftover temp file is
// swept on the next open.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

export interface AtomicWriteHooks {
  /** Test seam: runs after the temp file is durable and before the rename (throw to simulate a crash). */
  beforeRename?: (tempPath: string) => void;
}

const tempPrefix = (file: string): string => `${basename(file)}.tmp-`;

export function writeFileAtomic(file: string, data: Buffer, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = join(dir, `${tempPrefix(file)}${process.pid}-${randomBytes(4).toString('hex')}`);
  // 'wx': never follow or reuse an existing path; the mode applies at creation, before any byte lands.
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  let renamed = false;
  try {
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE); // the umask can only remove bits, but be explicit
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, file);
    renamed = true;
    syncDir(dir);
  } finally {
    if (!renamed) rmSync(temp, { force: true });
  }
}

/** Makes a rename or removal in `dir` durable. Not every platform can open a directory (Windows): best effort. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // the rename is done; only its durability across power loss is less certain here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes temp files a crash left behind; returns how many. They never hold plaintext anyway. */
export function sweepTempFiles(file: string): number {
  const dir = dirname(file);
  const prefix = tempPrefix(file);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    // Another process (desktop app and CLI on one data dir) may be mid-write: leave live writers alone.
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed += 1;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
