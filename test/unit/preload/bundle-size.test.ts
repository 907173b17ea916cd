// The sandboxed preload loads nothing at run time, so everything it imports is bundled into it. It
// is built here exactly as `npm run build` builds it: electron-vite resolves electron.vite.config.ts
// into the preload's vite config (its presets included) and vite bundles it, only kept in memory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LIMIT_BYTES = 20 * 1024;

async function bundlePreload(): Promise<Rolldown.OutputChunk> {
  const nodeEnv = process.env['NODE_ENV'];
  try {
    const resolved = await resolveConfig(
      { configFile: path.join(root, 'electron.vite.config.ts'), root, logLevel: 'silent', build: { write: false } },
      'build',
      'production',
    );
    const preload = resolved.config?.preload;
    if (!preload) throw new Error('electron.vite.config.ts has no preload build');
    const result = await build(preload);
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
    expect(chunks.map((c) => c.fileName)).toEqual(['index.cjs']);
    return chunks[0]!;
  } finally {
    // resolveConfig sets NODE_ENV for the whole process; the other tests in this worker expect vitest's.
    process.env['NODE_ENV'] = nodeEnv;
  }
}

describe('preload bundle', () => {
  it(`is one CJS file under ${LIMIT_BYTES / 1024} KB with no zod in it`, async () => {
    const chunk = await bundlePreload();
    const bytes = Buffer.byteLength(chunk.code);
    const modules = Object.keys(chunk.modules).map((m) => path.relative(root, m));
    expect(modules.filter((m) => m.includes('node_modules'))).toEqual([]);
    expect(modules).not.toContain(path.join('shared', 'contract.ts'));
    expect(bytes).toBeLessThan(LIMIT_BYTES);
    // Only electron is left to load at run time, and a sandboxed preload may require it.
    expect([...chunk.code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
  });
});
