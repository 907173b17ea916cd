// Issue 17 item 5, desktop side: Help → Export diagnostics… and Open data folder.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDiagnostics } from '../../../electron/core/diagnostics';
import { silentLogger } from '../../../electron/core/log';
import { applicationMenuTemplate, defaultArchiveName, exportDiagnosticsFromMenu, type HelpMenuDeps } from '../../../electron/main/help-menu';
import { tempDir } from '../../fixtures/temp-dir';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function deps(answer: string | undefined) {
  const t = tempDir('outpost-helpmenu-');
  cleanups.push(t.cleanup);
  const shown: string[] = [];
  const opened: string[] = [];
  const errors: { title: string; message: string }[] = [];
  const asked: string[] = [];
  const d: HelpMenuDeps = {
    dataDir: t.dir,
    appVersion: '9.9.9',
    askWhereToSave: async (name) => {
      asked.push(name);
      return answer === undefined ? undefined : join(t.dir, answer);
    },
    exportDiagnostics,
    showItemInFolder: (f) => shown.push(f),
    openPath: async (p) => {
      opened.push(p);
      return '';
    },
    showError: (title, message) => errors.push({ title, message }),
    log: silentLogger,
    now: () => new Date('2026-11-29T16:20:05.000Z'),
  };
  return { d, dir: t.dir, shown, opened, errors, asked };
}

describe('Help menu', () => {
  it('Export diagnostics… suggests a dated name, writes the zip where the operator chose and shows it', async () => {
    const { d, dir, shown, errors, asked } = deps('support.zip');
    const file = await exportDiagnosticsFromMenu(d);
    expect(asked).toEqual(['outpost-diagnostics-2026-11-29-16-20-05.zip']);
    expect(file).toBe(join(dir, 'support.zip'));
    expect(shown).toEqual([file]);
    expect(errors).toEqual([]);
    const zip = unzipSync(new Uint8Array(readFileSync(file!)));
    expect(JSON.parse(new TextDecoder().decode(zip['versions.json']))).toMatchObject({ app: '9.9.9' });
    if (process.platform !== 'win32') expect(statSync(file!).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const { d, dir, shown } = deps(undefined);
    expect(await exportDiagnosticsFromMenu(d)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect(shown).toEqual([]);
  });

  it('shows a refused path as an error box with the hint, and writes nothing', async () => {
    const { d, dir, errors } = deps('support.txt');
    expect(await exportDiagnosticsFromMenu(d)).toBeNull();
    expect(errors).toEqual([{ title: 'Export diagnostics', message: expect.stringMatching(/^out: ".*support\.txt" does not end in \.zip.*\nName it e\.g\./s) }]);
    expect(existsSync(join(dir, 'support.txt'))).toBe(false);
  });

  it('keeps the standard Edit menu and offers Export diagnostics… and Open data folder under Help', async () => {
    const { d, dir, opened } = deps(undefined);
    const menu = applicationMenuTemplate(d, 'linux');
    expect(menu.map((m) => m.role)).toEqual(['fileMenu', 'editMenu', 'windowMenu', 'help']);
    expect(applicationMenuTemplate(d, 'darwin')[0]!.role).toBe('appMenu');
    const help = menu.at(-1)!.submenu as { label: string; click: () => void }[];
    expect(help.map((i) => i.label)).toEqual(['Export diagnostics…', 'Open data folder']);
    help[1]!.click();
    expect(opened).toEqual([dir]);
  });

  it('suggests file names without colons', () => {
    expect(defaultArchiveName(new Date('2026-01-02T03:04:05.678Z'))).toBe('outpost-diagnostics-2026-01-02-03-04-05.zip');
  });
});
