// The data directory is private: it holds the store (instances, customers, payments, the audit
// log), the vault and the settings. Created 0700; every file Outpost writes in it is created 0600
// by its writer (explicit modes, never the umask's say). This module makes the directory and, at
// each start, tightens what older versions (or a copy, or a restore) left readable by others.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Group or other may read, write or enter: what tightening removes. */
const SHARED_BITS = 0o077;

/**
 * Creates the data directory 0700 (and missing parents, which are not ours to tighten later) and
 * tightens the directory and the files directly in it. Returns what was tightened, relative to the
 * directory ('.' for itself). Subdirectories are left alone: Outpost writes none, and the desktop
 * app's userData holds Chromium's own (caches, local storage) with modes Chromium chose.
 * Symlinks are neither followed nor changed. Windows has no POSIX modes: nothing to do there.
 */
export function preparePrivateDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (platform === 'win32') return [];
  const tightened: string[] = [];
  if (tighten(dataDir, PRIVATE_DIR_MODE)) tightened.push('.');
  for (const name of readdirSync(dataDir)) {
    const path = join(dataDir, name);
    let isFile: boolean;
    try {
      isFile = lstatSync(path).isFile();
    } catch {
      continue; // removed meanwhile (a temp file renamed into place)
    }
    if (isFile && tighten(path, PRIVATE_FILE_MODE)) tightened.push(name);
  }
  return tightened;
}

/** True when the mode had shared bits and now has `mode`. A file we do not own is left as it is. */
function tighten(path: string, mode: number): boolean {
  try {
    if ((lstatSync(path).mode & SHARED_BITS) === 0) return false;
    chmodSync(path, mode);
    return true;
  } catch {
    return false; // not ours (EPERM) or gone: the writer's own mode still applies to what we write
  }
}
