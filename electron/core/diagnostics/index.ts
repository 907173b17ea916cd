// Diagnostics for support: collect (redacted) and write one zip. Shared by the command and the desktop.
export { collectDiagnostics, registerEnvSecrets, type DiagnosticEntries, type DiagnosticsOptions } from './collect';
export { checkArchivePath, writeDiagnosticsArchive, zipEntries } from './archive';
export { collectVersions, type DiagnosticVersions } from './versions';
export { type JobTimeline, type PostgresTarget, type StoreSummary } from './store-summary';

import { writeDiagnosticsArchive, checkArchivePath } from './archive';
import { collectDiagnostics, type DiagnosticsOptions } from './collect';

/** Checks `out`, collects, writes. Nothing is written when `out` is refused. */
export async function exportDiagnostics(out: string, options: DiagnosticsOptions): Promise<{ file: string; bytes: number; entries: string[] }> {
  checkArchivePath(out);
  const entries = await collectDiagnostics(options);
  return { ...writeDiagnosticsArchive(out, entries), entries: Object.keys(entries) };
}
