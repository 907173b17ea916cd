// The diagnostics archive: one zip (fflate, in memory: the entries are bounded, a few hundred KiB),
// written owner-only through a temporary file so a half-written archive never has the final name.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { OutpostError } from '../../../shared/errors';
import type { DiagnosticEntries } from './collect';

export function zipEntries(entries: DiagnosticEntries): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, strToU8(text)])), { level: 9 });
}

/** Checks `out` before anything is collected: an existing directory or a missing folder is refused. */
export function checkArchivePath(out: string): string {
  if (typeof out !== 'string' || out.trim() === '') {
    throw new OutpostError('invalid_input', 'out: the archive needs a file name.', { hint: 'Pass a path such as --out outpost-diagnostics.zip.' });
  }
  const file = resolve(out);
  if (!file.toLowerCase().endsWith('.zip')) {
    throw new OutpostError('invalid_input', `out: "${out}" does not end in .zip; the archive is a zip file.`, { hint: 'Name it e.g. outpost-diagnostics.zip.' });
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new OutpostError('invalid_input', `out: "${out}" is a directory.`, { hint: 'Name a file inside it, e.g. outpost-diagnostics.zip.' });
  }
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new OutpostError('invalid_input', `out: the folder "${dir}" does not exist.`, { hint: 'Create it first, or choose another place for the archive.' });
  }
  return file;
}

/** Writes the archive to `out` (0600). Returns the absolute path and its size. */
export function writeDiagnosticsArchive(out: string, entries: DiagnosticEntries): { file: string; bytes: number } {
  const file = checkArchivePath(out);
  const bytes = zipEntries(entries);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes, { mode: 0o600 });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return { file, bytes: bytes.length };
}
