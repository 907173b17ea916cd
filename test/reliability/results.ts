// The reliability suites' figures, written by the suites themselves so the README never carries a
// hand-copied number: each suite replaces its own section of bench/results/reliability.json, and
// scripts/render-reliability.mjs renders the file into the README. Only full-size runs write (a
// reduced run in `npm test` must not overwrite the published figures with smaller ones).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL } from './support';

export const RESULTS_FILE = fileURLToPath(new URL('../../bench/results/reliability.json', import.meta.url));

export type SuiteName = 'crashAnywhere' | 'faultMatrix' | 'soak';

/** Merges `figures` (plus the date) under `suite`; returns whether anything was written. */
export function recordFigures(suite: SuiteName, figures: Record<string, unknown>, file = RESULTS_FILE, full = FULL): boolean {
  if (!full) return false;
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const next = { ...current, [suite]: { date: new Date().toISOString().slice(0, 10), ...figures } };
  mkdirSync(dirname(file), { recursive: true });
  // Write beside and rename, so a run killed mid-write leaves the last complete file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
  return true;
}
