// The desktop's Help menu: Export diagnostics… (the same archive as `outpost diagnostics`) and
// Open data folder. Kept in the main process on purpose: both act on the local machine, need no
// renderer channel, and the save dialog is the operator's own choice of where the file goes.
import type { MenuItemConstructorOptions } from 'electron';
import type { Logger } from '../core/log';

export interface HelpMenuDeps {
  dataDir: string;
  appVersion: string;
  /** Electron's dialog.showSaveDialog, narrowed. */
  askWhereToSave(defaultPath: string): Promise<string | undefined>;
  /** core/diagnostics exportDiagnostics (loaded on first use: it brings the SQLite driver). */
  exportDiagnostics(out: string, options: { dataDir: string; appVersion: string }): { file: string; bytes: number } | Promise<{ file: string; bytes: number }>;
  showItemInFolder(file: string): void;
  openPath(path: string): Promise<string>;
  showError(title: string, message: string): void;
  log: Logger;
  now?: () => Date;
}

/** Suggested file name: sortable, no colons (Windows), in the user's home unless they pick otherwise. */
export function defaultArchiveName(now: Date): string {
  return `outpost-diagnostics-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}

/** Asks where, writes the archive, shows it. A refused path or a failed write is shown, never thrown. */
export async function exportDiagnosticsFromMenu(deps: HelpMenuDeps): Promise<string | null> {
  const target = await deps.askWhereToSave(defaultArchiveName((deps.now ?? (() => new Date()))()));
  if (!target) return null;
  try {
    const { file, bytes } = await deps.exportDiagnostics(target, { dataDir: deps.dataDir, appVersion: deps.appVersion });
    deps.log.info('diagnostics exported', { bytes });
    deps.showItemInFolder(file);
    return file;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = (err as { hint?: unknown }).hint;
    deps.log.warn('diagnostics export failed', { error: err });
    deps.showError('Export diagnostics', typeof hint === 'string' ? `${message}\n${hint}` : message);
    return null;
  }
}

export function helpMenuTemplate(deps: HelpMenuDeps): MenuItemConstructorOptions {
  return {
    role: 'help',
    submenu: [
      { label: 'Export diagnostics…', click: () => void exportDiagnosticsFromMenu(deps) },
      {
        label: 'Open data folder',
        click: () =>
          void deps.openPath(deps.dataDir).then((problem) => {
            if (problem) deps.showError('Open data folder', problem);
          }),
      },
    ],
  };
}

/**
 * The whole application menu: Electron's standard File/Edit/Window menus (copy and paste must keep
 * working in the panel's fields) and the Help menu above. No View menu: reload and the developer
 * tools are not for the packaged app.
 */
export function applicationMenuTemplate(deps: HelpMenuDeps, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  return [...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []), { role: 'fileMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }, helpMenuTemplate(deps)];
}
