// Reading the vault file at start-up. Never prompts and never fails on a damaged file: what cannot
// be parsed is moved aside (`vault.corrupt-<timestamp>`) with a notice, and the app starts with an
// empty vault (sandbox mode still works). Only an unreadable file (permissions) is an error.
import { chmodSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { OutpostError } from '../../../shared/errors';
import type { Logger } from '../log';
import type { Clock } from '../ports';
import { PRIVATE_FILE_MODE, sweepTempFiles } from './atomic-file';
import { parseVault, type VaultDocument } from './format';

export function loadVaultFile(path: string, clock: Clock, logger: Logger): { doc: VaultDocument | null; notices: string[] } {
  const notices: string[] = [];
  sweepTempFiles(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { doc: null, notices };
    throw new OutpostError('unavailable', `The token vault could not be read (${code ?? 'I/O error'}).`, {
      hint: `Check the permissions of ${path}.`,
    });
  }
  const parsed = parseVault(bytes);
  if (parsed.ok) {
    tightenMode(path, logger, notices);
    return { doc: parsed.doc, notices };
  }
  const movedTo = moveAside(path, clock);
  notices.push(
    `The token vault could not be read: ${parsed.reason}. It was moved to ${basename(movedTo)} and Outpost started with an empty vault; enter the tokens again.`,
  );
  logger.warn('vault: damaged file moved aside', { reason: parsed.reason, movedTo });
  return { doc: null, notices };
}

function moveAside(path: string, clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const base = path.replace(/\.json$/, '');
  let target = `${base}.corrupt-${stamp}`;
  for (let i = 1; existsSync(target); i++) target = `${base}.corrupt-${stamp}-${i}`;
  renameSync(path, target);
  return target;
}

/** A vault readable by others (copied around, restored from a backup) is put back to 0600. */
function tightenMode(path: string, logger: Logger, notices: string[]): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(path, PRIVATE_FILE_MODE);
  notices.push(`The token vault was readable by other users (mode ${mode.toString(8)}); its mode is now 600.`);
  logger.warn('vault: permissions tightened', { mode: mode.toString(8) });
}
