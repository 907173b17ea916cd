// `outpost` started from a directory someone else controls (a cloned repository, a download
// folder) must not load anything from it: tsx used to read the tsconfig.json of the current
// directory, whose `paths` could swap Outpost's own imports for a planted file that then reads the
// tokens and OUTPOST_PASSPHRASE. The planted files here are transparent proxies (they re-export
// the real module), so the attack would succeed silently; only the marker and the canary tell.
// The command now runs compiled (out/main/cli.js, resolving packages from its own install), so no
// tsconfig is read at all; this keeps proving that nothing of the current directory takes part.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../fixtures/temp-dir';

const BIN = fileURLToPath(new URL('../../../bin/outpost.mjs', import.meta.url));
const CANARY = 'HOSTILE-CWD-CANARY-7f3a';

let hostile: { dir: string; cleanup: () => void };
let data: { dir: string; cleanup: () => void };
let lure: Server;
const lureHits: string[] = [];
const marker = () => join(hostile.dir, 'loaded.marker');

/** A module that records that it ran (and what it could read), then passes the real one through. */
const proxyModule = (markerFile: string, realEntry: string, name: string) => `
import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(markerFile)}, ${JSON.stringify(name)} + ' ' + (process.env.OUTPOST_PASSPHRASE ?? '') + '\\n');
console.log(${JSON.stringify(CANARY)}, ${JSON.stringify(name)});
console.error(${JSON.stringify(CANARY)}, ${JSON.stringify(name)});
export * from ${JSON.stringify(realEntry)};
`;

function plant(dir: string, lureUrl: string): void {
  const proxy = (realEntry: string, name: string) => proxyModule(join(dir, 'loaded.marker'), realEntry, name);
  const real = (specifier: string) => import.meta.resolve(specifier);
  writeFileSync(join(dir, 'evil-commander.mjs'), proxy(real('commander'), 'commander'));
  writeFileSync(join(dir, 'evil-zod.mjs'), proxy(real('zod'), 'zod'));
  writeFileSync(join(dir, 'evil-any.mjs'), proxy(pathToFileURL(join(dir, 'nothing.mjs')).href, 'any'));
  writeFileSync(join(dir, 'nothing.mjs'), 'export {};\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        baseUrl: '.',
        paths: { commander: ['./evil-commander.mjs'], zod: ['./evil-zod.mjs'] },
        // A JSX factory or decorators would run planted code in any transformed file.
        jsx: 'react',
        jsxFactory: 'globalThis.__hostile',
      },
    }),
  );
  // package.json tricks: a module type flip, a subpath import map and a self-reference name.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'outpost', type: 'commonjs', main: './evil-any.mjs', imports: { '#commander': './evil-commander.mjs' }, exports: { '.': './evil-any.mjs' } }),
  );
  // A node_modules the current directory would offer to bare-specifier resolution.
  for (const name of ['commander', 'zod']) {
    const pkg = join(dir, 'node_modules', name);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version: '99.0.0', type: 'module', main: './index.mjs', exports: './index.mjs' }));
    writeFileSync(join(pkg, 'index.mjs'), proxy(real(name), `node_modules/${name}`));
  }
  // A .env that would put the command in live mode against the lure, in another data directory.
  writeFileSync(
    join(dir, '.env'),
    [
      'OUTPOST_HETZNER_TOKEN=hostile-token',
      'OUTPOST_TS_CLIENT_ID=hostile-client',
      'OUTPOST_TS_CLIENT_SECRET=hostile-secret',
      'OUTPOST_TS_TAGS=tag:hostile',
      `OUTPOST_HETZNER_URL=${lureUrl}/hetzner`,
      `OUTPOST_TAILSCALE_URL=${lureUrl}/tailscale`,
      `OUTPOST_DATA_DIR=${join(dir, 'hostile-data')}`,
      'OUTPOST_LOG_LEVEL=debug',
      `NODE_OPTIONS=--import=${pathToFileURL(join(dir, 'evil-any.mjs')).href}`,
      '',
    ].join('\n'),
  );
}

/** The child's environment: this process's, without any OUTPOST_* setting (only the .env could add one). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OUTPOST_') && k !== 'NODE_OPTIONS' && k !== 'TSX_TSCONFIG_PATH') env[k] = v;
  return { ...env, OUTPOST_PASSPHRASE: 'passphrase-the-plant-wants', OUTPOST_SIM_TIME_SCALE: '0.05' };
}

function run(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  hostile = tempDir('outpost-hostile-cwd-');
  data = tempDir('outpost-hostile-data-');
  lure = createServer((req, res) => {
    lureHits.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => lure.listen(0, '127.0.0.1', resolve));
  plant(hostile.dir, `http://127.0.0.1:${(lure.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await new Promise<void>((resolve) => lure.close(() => resolve()));
  hostile.cleanup();
  data.cleanup();
});

describe('outpost started from a hostile directory', () => {
  it('loads no tsconfig, package.json, .env or module from it', async () => {
    const result = await run(['list', '--json', '--data-dir', data.dir], hostile.dir);

    expect(existsSync(marker()) ? readFileSync(marker(), 'utf8') : 'nothing ran').toBe('nothing ran');
    expect(result.stdout + result.stderr).not.toContain(CANARY);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ mode: 'sandbox', instances: [] });
    // The .env had no effect: sandbox mode (no live store), the given data directory, the lure untouched.
    expect(readdirSync(data.dir)).toContain('sandbox.db');
    expect(readdirSync(data.dir)).not.toContain('live.db');
    expect(existsSync(join(hostile.dir, 'hostile-data'))).toBe(false);
    expect(lureHits).toEqual([]);
  });
});
