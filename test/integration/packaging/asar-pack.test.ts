// Issue 17 item 3: the desktop app packed as electron-builder packs it (pack-app.ts beside this file: the
// production build, package.json, the production dependency tree filtered by electron-builder.yml),
// then the archive itself is read back and checked. Runs without the Electron runtime.
import { extractFile, getRawHeader, listPackage, statFile } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packApp, packedSize } from './pack-app';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The budget README's "Packaging and diagnostics" states (archive plus unpacked files), read from there so the two cannot drift. */
function statedBudgetMiB(): number {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Packaging and diagnostics'), readme.indexOf('## Security model'));
  const match = /\*\*size budget (\d+) MiB\*\*/.exec(section);
  if (!match) throw new Error('README "Packaging and diagnostics" must state "**size budget N MiB**".');
  return Number(match[1]);
}
const SIZE_BUDGET_BYTES = statedBudgetMiB() * 1024 * 1024;
let packed: Awaited<ReturnType<typeof packApp>>;
let entries: string[];

beforeAll(async () => {
  packed = await packApp();
  // Paths without the leading slash, with forward slashes, like the `files` patterns.
  entries = listPackage(packed.archive, { isPack: false }).map((e) => e.replace(/\\/g, '/').replace(/^\//, ''));
});
afterAll(() => {
  if (packed) rmSync(packed.workDir, { recursive: true, force: true });
});

const isFile = (entry: string) => !('files' in (statFile(packed.archive, entry) as object));
const read = (entry: string) => extractFile(packed.archive, entry).toString('utf8');

describe('the packed app (app.asar)', () => {
  it('holds the main, preload and renderer bundles, and package.json points at main', () => {
    const pkg = JSON.parse(read('package.json')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    expect(entries).toContain('out/main/index.js');
    expect(entries).toContain('out/preload/index.cjs');
    expect(entries).toContain('out/renderer/index.html');
    // The page's own script and stylesheet are in the archive too.
    const html = read('out/renderer/index.html');
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => `out/renderer/${m[1]}`);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) expect(entries).toContain(asset);
  });

  it('holds the compiled `outpost` command that bin/outpost.mjs starts, and no tsx', () => {
    const bin = readFileSync(join(root, 'bin', 'outpost.mjs'), 'utf8');
    const target = /new URL\('\.\.\/(out\/[^']+\.js)', import\.meta\.url\)/.exec(bin)?.[1];
    expect(target).toBe('out/main/cli.js');
    expect(entries).toContain(target);
    expect(read(target!)).toMatch(/from "commander"/);
    // Nothing that runs TypeScript at run time: not the package, not an import of it.
    expect(entries.filter((e) => /(^|\/)node_modules\/tsx(\/|$)/.test(e))).toEqual([]);
    const importsTsx = entries.filter((e) => /^out\/main\/.*\.js$/.test(e) && isFile(e) && /(?:from\s*|import\s*\(\s*)["']tsx(\/[^"']*)?["']/.test(read(e)));
    expect(importsTsx).toEqual([]);
  });

  it('has main and preload bundles that parse (a duplicate declaration in a chunk stops the desktop app at start)', () => {
    // The archive's package.json beside the build, so Node reads out/main as ESM exactly as Electron will.
    writeFileSync(join(packed.workDir, 'package.json'), read('package.json'));
    const bundles = entries.filter((e) => /^out\/(main|preload)\/.*\.(js|cjs)$/.test(e) && isFile(e));
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    const broken = bundles
      .map((e) => ({ e, check: spawnSync(process.execPath, ['--check', join(packed.workDir, e)], { encoding: 'utf8' }) }))
      .filter(({ check }) => check.status !== 0)
      .map(({ e, check }) => `${e}: ${check.stderr.split('\n').find((l) => l.includes('Error')) ?? check.stderr}`);
    expect(broken).toEqual([]);
  });

  it('has every package the main process imports (and the SQLite driver it loads by name)', () => {
    const mainFiles = entries.filter((e) => e.startsWith('out/main/') && e.endsWith('.js') && isFile(e));
    const imported = new Set<string>(['better-sqlite3']);
    for (const file of mainFiles) {
      for (const m of read(file).matchAll(/(?:from\s*|import\s*\(\s*|require\(\s*)["']([^"'./][^"']*)["']/g)) {
        const spec = m[1]!;
        if (spec === 'electron' || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    for (const name of imported) expect(entries, name).toContain(`node_modules/${name}/package.json`);
  });

  it('contains no development-only package (package-lock.json marks them dev)', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const packageDirs = entries.filter((e) => /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(e)).map((e) => e.slice(0, -'/package.json'.length));
    expect(packageDirs.length).toBeGreaterThan(10);
    const devOnly = packageDirs.filter((dir) => lock.packages[dir]?.dev === true);
    expect(devOnly).toEqual([]);
    // And the obvious ones by name, in case the lock file ever stops saying so.
    for (const name of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite', 'tsx', 'esbuild']) {
      expect(entries).not.toContain(`node_modules/${name}/package.json`);
    }
  });

  it('contains no tests, source maps, .env files or TypeScript sources', () => {
    const offending = entries.filter(
      (e) =>
        /(^|\/)(test|tests|__tests__)(\/|$)/.test(e) ||
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(e) ||
        e.endsWith('.map') ||
        /(^|\/)\.env(\.|$)/.test(e) ||
        /^(electron|renderer|shared|test|scripts|bench)\//.test(e),
    );
    expect(offending).toEqual([]);
  });

  it('unpacks the SQLite native binding for this platform next to the archive, and packs no binary inside', () => {
    const binding = `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`;
    expect(entries).toContain(binding);
    expect((statFile(packed.archive, binding) as { unpacked?: boolean }).unpacked).toBe(true);
    expect(existsSync(join(packed.unpackedDir, binding))).toBe(true);
    const packedNative = entries.filter((e) => e.endsWith('.node') && !(statFile(packed.archive, e) as { unpacked?: boolean }).unpacked);
    expect(packedNative).toEqual([]);
    // Other platforms' bindings stay out of this platform's installer.
    const foreign = entries.filter((e) => e.includes('/prebuilds/') && !e.includes(`/prebuilds/${process.platform}`));
    expect(foreign).toEqual([]);
  });

  it(`stays within the size budget (${SIZE_BUDGET_BYTES / 1024 / 1024} MiB with unpacked files)`, () => {
    expect(getRawHeader(packed.archive).headerSize).toBeGreaterThan(0);
    expect(packedSize(packed.archive)).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
  });
});
