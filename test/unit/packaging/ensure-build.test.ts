// scripts/ensure-build.mjs decides whether out/ is the build of the sources as they are, for
// `npm install`, the npm scripts and the tests' globalSetup: a wrong "fresh" runs old code silently.
// Here on a small fake project with a fake build (the real build is exercised by
// test/integration/cli/compiled-command.test.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_INPUTS, ensureBuild, isFresh, STAMP } from '../../../scripts/ensure-build.mjs';
import { tempDir } from '../../fixtures/temp-dir';

let project: ReturnType<typeof tempDir>;
let builds: number;
const root = () => project.dir;
const write = (rel: string, text: string) => {
  mkdirSync(join(root(), rel, '..'), { recursive: true });
  writeFileSync(join(root(), rel), text);
};
const cli = () => readFileSync(join(root(), 'out', 'main', 'cli.js'), 'utf8');

/** Stands in for electron-vite: out/main/cli.js echoes the source it was built from. */
function fakeBuild(from: string, outDir: string): void {
  builds++;
  mkdirSync(join(outDir, 'main'), { recursive: true });
  writeFileSync(join(outDir, 'main', 'cli.js'), `// built from: ${readFileSync(join(from, 'electron', 'cli', 'main.ts'), 'utf8')}`);
}
const ensure = (build = fakeBuild) => ensureBuild({ root: root(), build, log: () => {} });
const staging = () => (existsSync(join(root(), 'node_modules', '.cache')) ? readdirSync(join(root(), 'node_modules', '.cache')) : []);

beforeEach(() => {
  project = tempDir('outpost-ensure-build-');
  builds = 0;
  write('package.json', '{"name":"outpost"}');
  write('electron/cli/main.ts', 'version 1');
  write('shared/errors.ts', 'export {};');
});
afterEach(() => project.cleanup());

describe('ensureBuild', () => {
  it('builds when there is no out/, then leaves a current out/ alone', () => {
    expect(isFresh(root())).toBe(false);
    expect(ensure().built).toBe(true);
    expect(cli()).toBe('// built from: version 1');
    expect(isFresh(root())).toBe(true);
    expect(ensure().built).toBe(false);
    expect(builds).toBe(1);
    expect(staging()).toEqual([]);
  });

  it('builds again after any input changes, and only after a content change', () => {
    ensure();
    // Same size, other content: a size or mtime check would miss it.
    write('electron/cli/main.ts', 'version 2');
    expect(isFresh(root())).toBe(false);
    ensure();
    expect(cli()).toBe('// built from: version 2');
    // A new file in an input folder counts; so does the build configuration.
    write('renderer/src/new.tsx', 'x');
    expect(isFresh(root())).toBe(false);
    ensure();
    write('electron.vite.config.ts', 'export default {}');
    expect(isFresh(root())).toBe(false);
    ensure();
    expect(builds).toBe(4);
    // Touching a file without changing it (a checkout, a copy) does not.
    utimesSync(join(root(), 'electron/cli/main.ts'), new Date(), new Date(Date.now() + 60_000));
    expect(ensure().built).toBe(false);
  });

  it('does not trust an out/ some other build wrote, even one of the same sources', () => {
    ensure();
    // `npm run build` empties out/main: the stamp goes with it. Here: edit, plain build, revert.
    write('electron/cli/main.ts', 'version 2');
    rmSync(join(root(), 'out', 'main'), { recursive: true });
    fakeBuild(root(), join(root(), 'out'));
    write('electron/cli/main.ts', 'version 1');
    expect(isFresh(root())).toBe(false);
    ensure();
    expect(cli()).toBe('// built from: version 1');
  });

  it('keeps the previous out/ when the build fails, and says why', () => {
    ensure();
    write('electron/cli/main.ts', 'version 2');
    const broken = (_from: string, outDir: string) => {
      mkdirSync(join(outDir, 'main'), { recursive: true });
      writeFileSync(join(outDir, 'main', 'cli.js'), 'half');
      throw new Error('electron-vite build failed: main.ts:1 Unexpected token');
    };
    expect(() => ensure(broken)).toThrow(/Unexpected token/);
    expect(cli()).toBe('// built from: version 1');
    expect(isFresh(root())).toBe(false);
    expect(staging()).toEqual([]);
  });

  it('stamps inside out/main, which every electron-vite build empties, and hashes what the build reads', () => {
    expect(STAMP.split(/[\\/]/).slice(0, 2)).toEqual(['out', 'main']);
    for (const input of ['electron', 'shared', 'renderer', 'package.json', 'package-lock.json', 'electron.vite.config.ts']) expect(BUILD_INPUTS).toContain(input);
  });
});
