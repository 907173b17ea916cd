// Packs the desktop app into an asar archive the way electron-builder does, without the Electron
// runtime (which cannot be downloaded everywhere): the production build from `electron-vite build`,
// package.json, and the production dependency tree from node_modules, filtered by electron-builder.yml's
// `files` and electron-builder's own default exclusions, with `asarUnpack` files written next to the
// archive. The packing check (asar-pack.test.ts beside this file) verifies what comes out.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackageFromStreams, type AsarStreamType } from '@electron/asar';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

// electron-builder's defaults (app-builder-lib fileMatcher.js and NodeModuleCopyHelper.js), so the
// check packs what an installer would contain, not more.
const EXCLUDED_EXTS = 'iml,hprof,orig,pyc,pyo,rbc,swp,csproj,sln,suo,xproj,cc,d.ts,mk,a,o,obj,forge-meta,pdb';
const EXCLUDED_NAMES =
  '.git,.hg,.svn,CVS,RCS,SCCS,__pycache__,.DS_Store,thumbs.db,.gitignore,.gitkeep,.gitattributes,.npmignore,' +
  '.idea,.vs,.flowconfig,.jshintrc,.eslintrc,.circleci,.yarn-integrity,.yarn-metadata.json,yarn-error.log,yarn.lock,' +
  'package-lock.json,npm-debug.log,pnpm-lock.yaml,bun.lock,bun.lockb,appveyor.yml,.travis.yml,circle.yml,.nyc_output,' +
  '.husky,.github,electron-builder.env';
const DEFAULT_EXCLUDES = [`**/*.{${EXCLUDED_EXTS}}`, '**/._*', `**/{${EXCLUDED_NAMES}}`, '**/{CHANGELOG.md,ChangeLog,changelog.md,Changelog.md,Changelog,binding.gyp,node_gyp_bins}'];
// Excluded at the top of each dependency only, as electron-builder does.
const PACKAGE_TOP_EXCLUDES = new Set(['karma.conf.js', '.coveralls.yml', 'README.md', 'readme.markdown', 'README', 'readme.md', 'Readme.md', 'Readme', 'readme', 'test', 'tests', '__tests__', 'powered-test', 'example', 'examples', '.bin']);

export interface BuilderConfigLike {
  files?: string[];
  asarUnpack?: string[];
  [section: string]: unknown;
}
export interface PackedFile {
  abs: string;
  rel: string;
}

export function loadBuilderConfig(root = ROOT): BuilderConfigLike {
  return parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfigLike;
}

/** The production dependency tree, resolved the way Node resolves it: package directories, relative to root. */
export function productionPackages(root = ROOT): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, name: string, optional: boolean): void => {
    let dir = fromDir;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        const rel = relative(root, candidate).split(sep).join('/');
        if (found.has(rel)) return;
        found.add(rel);
        const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as Manifest;
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(candidate, dep, false);
        for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(candidate, dep, true);
        return;
      }
      if (dir === root || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    if (!optional) throw new Error(`pack-app: production dependency ${name} (needed from ${relative(root, fromDir) || '.'}) is not installed; run npm install.`);
  };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(root, dep, false);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(root, dep, true);
  return [...found].sort();
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function walk(dir: string, base: string, out: PackedFile[]): PackedFile[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    const rel = `${base}/${entry.name}`;
    if (entry.isDirectory()) walk(abs, rel, out);
    else if (entry.isFile()) out.push({ abs, rel });
  }
  return out;
}

const negations = (patterns: string[]): string[] => patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
const PLATFORM_SECTION: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'mac', win32: 'win' };

/** Files of the app (relative path in the archive → absolute path on disk) as electron-builder would select them. */
export function selectFiles({
  root = ROOT,
  buildDir,
  config = loadBuilderConfig(root),
  platform = process.platform,
}: {
  root?: string;
  buildDir: string;
  config?: BuilderConfigLike;
  platform?: NodeJS.Platform;
}): PackedFile[] {
  // electron-builder adds the building platform's own `files` to the top-level ones.
  const section = PLATFORM_SECTION[platform];
  const platformFiles = (section ? (config[section] as { files?: string[] } | undefined)?.files : undefined) ?? [];
  const excludes = [...negations([...(config.files ?? []), ...platformFiles]), ...DEFAULT_EXCLUDES];
  const excluded = (rel: string): boolean => excludes.some((p) => minimatch(rel, p, { dot: true }));
  const files: PackedFile[] = [{ abs: join(root, 'package.json'), rel: 'package.json' }, ...walk(buildDir, 'out', [])];
  for (const pkgDir of productionPackages(root)) {
    // Nested node_modules are packages of their own in the tree walk.
    for (const file of walk(join(root, pkgDir), pkgDir, [])) {
      const inside = file.rel.slice(pkgDir.length + 1);
      if (inside.split('/').includes('node_modules')) continue;
      if (PACKAGE_TOP_EXCLUDES.has(inside.split('/')[0]!)) continue;
      files.push(file);
    }
  }
  return files.filter((f) => !excluded(f.rel));
}

/** Runs the production build into `outDir` (a temporary directory: never the shared out/). */
export function buildApp(outDir: string, root = ROOT): void {
  const bin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pack-app: electron-vite build failed:\n${result.stderr}${result.stdout}`);
}

/** Builds and packs; returns the archive's path and the files it was made from. */
export async function packApp({ root = ROOT, workDir = mkdtempSync(join(tmpdir(), 'outpost-pack-')) }: { root?: string; workDir?: string } = {}) {
  const config = loadBuilderConfig(root);
  const buildDir = join(workDir, 'out');
  buildApp(buildDir, root);
  const files = selectFiles({ root, buildDir, config });
  const unpack = (rel: string): boolean => (config.asarUnpack ?? []).some((p) => minimatch(rel, p, { dot: true }));
  const dirs = new Set<string>();
  const streams: AsarStreamType[] = [];
  for (const { abs, rel } of files) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) {
        dirs.add(dir);
        streams.push({ type: 'directory', path: dir, unpacked: false });
      }
    }
    streams.push({ type: 'file', path: rel, unpacked: unpack(rel), stat: lstatSync(abs), streamGenerator: () => createReadStream(abs) });
  }
  const archive = join(workDir, 'app.asar');
  await createPackageFromStreams(archive, streams);
  return { archive, unpackedDir: `${archive}.unpacked`, files, workDir };
}

/** Bytes of the archive plus everything unpacked next to it. */
export function packedSize(archive: string): number {
  const unpacked = `${archive}.unpacked`;
  const dirBytes = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  return statSync(archive).size + (existsSync(unpacked) ? dirBytes(unpacked) : 0);
}

