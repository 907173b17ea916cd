// Issue 17 item 4: the `outpost` command ships compiled. bin/outpost.mjs starts out/main/cli.js, which
// the same build as the desktop app makes (built for this run by the globalSetup); it runs on plain
// Node with only the production dependencies installed, and without the build it says what to run
// instead of falling back to the TypeScript sources.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFresh } from '../../../scripts/ensure-build.mjs';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';
import { productionPackages } from '../packaging/pack-app';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};
const BIN = join(root, pkg.bin.outpost!);

/** The file bin/outpost.mjs starts, read from its own text (the one `new URL('…', import.meta.url)` there). */
function binTarget(binFile = BIN): string {
  const match = /new URL\('(\.\.\/out\/[^']+)', import\.meta\.url\)/.exec(readFileSync(binFile, 'utf8'));
  if (!match) throw new Error(`${binFile} names no file under out/`);
  return resolve(dirname(binFile), match[1]!);
}

/** Specifiers a built file imports (static, re-exported and literal dynamic imports). */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|[\s;}])(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm)].map(
    (m) => (m[1] ?? m[2] ?? m[3])!,
  );

/** Every built file the entry loads, and every package it names. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.includes(file)) return;
    files.push(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec);

/** The child's environment without anything that could preload a loader. */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OUTPOST_') && !['NODE_OPTIONS', 'NODE_PATH', 'TSX_TSCONFIG_PATH'].includes(k)) env[k] = v;
  return { ...env, OUTPOST_LOG_LEVEL: 'error' };
}
const runNode = (args: string[], cwd: string) => spawnSync(process.execPath, args, { cwd, env: plainEnv(), encoding: 'utf8', timeout: 30_000 });

describe('the built command', () => {
  it('package.json: bin is bin/outpost.mjs and tsx is a development tool only', () => {
    expect(pkg.bin).toEqual({ outpost: 'bin/outpost.mjs' });
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.optionalDependencies ?? {})).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
    // And the lock file agrees, so `npm ci --omit=dev` and electron-builder leave it out.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; dev?: boolean }> };
    expect(Object.keys(lock.packages['']!.dependencies ?? {})).not.toContain('tsx');
    expect(lock.packages['node_modules/tsx']?.dev).toBe(true);
  });

  it('bin starts a compiled .js file under out/, which this run built from the current sources', () => {
    const target = binTarget();
    expect(relative(root, target)).toBe(join('out', 'main', 'cli.js'));
    expect(existsSync(target)).toBe(true);
    expect(isFresh(root)).toBe(true);
  });

  it('imports no tsx, no TypeScript source and no package outside the production dependencies', () => {
    expect(importsOf(BIN).filter((spec) => !isBuiltin(spec))).toEqual([]);
    const { files, packages } = importGraph(binTarget());
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      expect(file.startsWith(join(root, 'out', 'main')), file).toBe(true);
      expect(file.endsWith('.js'), file).toBe(true);
    }
    const named = [...packages].filter((spec) => !isBuiltin(spec)).map(packageName);
    expect(named).toContain('commander');
    expect(named).not.toContain('tsx');
    expect(named).not.toContain('electron');
    const runtime = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    expect(named.filter((name) => !runtime.has(name))).toEqual([]);
  });
});

describe('an install with only the production dependencies (no tsx anywhere)', () => {
  let install: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;

  beforeAll(() => {
    install = tempDir('outpost-installed-');
    data = tempDir('outpost-installed-data-');
    const dir = install.dir;
    mkdirSync(join(dir, 'bin'));
    cpSync(BIN, join(dir, 'bin', 'outpost.mjs'));
    cpSync(join(root, 'out', 'main'), join(dir, 'out', 'main'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    // Top-level production packages only; their own dependencies come along inside them or resolve
    // from where they really are.
    for (const pkgDir of productionPackages(root).filter((p) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(p))) {
      mkdirSync(dirname(join(dir, pkgDir)), { recursive: true });
      symlinkSync(join(root, pkgDir), join(dir, pkgDir), 'dir');
    }
    mkdirSync(join(dir, 'dist-web'));
    writeFileSync(join(dir, 'dist-web', 'index.html'), '<!doctype html><title>installed dist-web marker</title>\n');
  });
  afterAll(() => {
    install?.cleanup();
    data?.cleanup();
  });

  it('has no tsx to load', () => {
    expect(existsSync(join(install.dir, 'node_modules', 'commander'))).toBe(true);
    expect(existsSync(join(install.dir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(install.dir, 'electron'))).toBe(false);
  });

  it('runs the command with plain node', () => {
    const version = runNode([join(install.dir, 'bin', 'outpost.mjs'), '--version'], data.dir);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    const list = runNode([join(install.dir, 'bin', 'outpost.mjs'), 'list', '--json', '--data-dir', data.dir], data.dir);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ mode: 'sandbox', instances: [] });
  });

  it('serves browser mode from the dist-web beside the install', async () => {
    const child = spawn(process.execPath, [join(install.dir, 'bin', 'outpost.mjs'), 'web', '--port', '0', '--mode', 'sandbox', '--data-dir', join(data.dir, 'web')], {
      cwd: data.dir,
      env: plainEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const printedUrl = () => /https?:\/\/127\.0\.0\.1:\d+\/\S+/.exec(stdout)?.[0];
      await waitUntil(() => printedUrl() !== undefined || child.exitCode !== null, 'the URL it serves', 30_000);
      const url = printedUrl();
      expect(url, stderr).toBeDefined();
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('installed dist-web marker');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('without the build', () => {
  it('says to run `npm run build` and exits 1, running nothing else', () => {
    const bare = tempDir('outpost-unbuilt-');
    try {
      mkdirSync(join(bare.dir, 'bin'));
      cpSync(BIN, join(bare.dir, 'bin', 'outpost.mjs'));
      // The sources beside it, as in a clone nobody built: they must not be run instead.
      cpSync(join(root, 'package.json'), join(bare.dir, 'package.json'));
      symlinkSync(join(root, 'electron'), join(bare.dir, 'electron'), 'dir');
      symlinkSync(join(root, 'node_modules'), join(bare.dir, 'node_modules'), 'dir');
      const result = runNode([join(bare.dir, 'bin', 'outpost.mjs'), '--version'], bare.dir);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(join(bare.dir, 'out', 'main', 'cli.js'));
      expect(result.stderr).toMatch(/Run `npm run build` in .*\(npm install runs it too\)/);
    } finally {
      bare.cleanup();
    }
  });
});
