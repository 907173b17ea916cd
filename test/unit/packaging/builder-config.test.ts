// Issue 17 item 1: electron-builder.yml is a configuration electron-builder accepts, for the three
// platforms' installers, with icons that scripts/make-icons.mjs really produces. `npm run dist`
// itself needs the Electron runtime download, so these checks are what runs here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ICON_SIZES, makeIcons } from '../../../scripts/make-icons.mjs';
import { loadBuilderConfig } from './builder-config';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** electron-builder's own schema check, the one `electron-builder` runs before building. */
async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(config: unknown, debug: { add(): void; isEnabled: boolean }): Promise<void>;
  };
  await validateConfiguration(config, { add: () => undefined, isEnabled: false });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const scratch = mkdtempSync(join(tmpdir(), 'outpost-icons-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  const config = loadBuilderConfig();

  // Loading electron-builder's validator takes seconds on a busy machine.
  it('passes electron-builder’s schema', { timeout: 30_000 }, async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('the schema check is real: a misspelt option is refused', { timeout: 30_000 }, async () => {
    await expect(validate({ ...config, asarUnpak: config.asarUnpack })).rejects.toThrow(/asarUnpak/);
  });

  it('names the app and builds AppImage + deb, dmg and NSIS, packed as asar', () => {
    expect(config.appId).toBe('dev.outpost.desktop');
    expect(config.productName).toBe('Outpost');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/prebuilds/*.node');
  });

  it('npm run dist renders the icons, builds, then packages for this platform without publishing', () => {
    expect(packageJson.scripts.icons).toBe('node scripts/make-icons.mjs');
    expect(packageJson.scripts.dist).toBe('npm run icons && electron-vite build && electron-builder --publish never');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Packaging and diagnostics'), readme.indexOf('## Security model'));
    expect(section.replace(/\s+/g, ' ')).toContain('`npm run dist` builds the installer for the current platform where the Electron runtime can be fetched');
  });

  it('renders every icon size from build/icon.svg, and the config points at those files', () => {
    const files = makeIcons(join(root, 'build', 'icon.svg'), scratch);
    expect(files.map((f) => basename(f))).toEqual(ICON_SIZES.map((s) => `${s}x${s}.png`));
    for (const [i, size] of ICON_SIZES.entries()) expect(pngSize(files[i]!)).toEqual({ width: size, height: size });
    // Linux reads the folder; macOS needs at least 512 (1024 for Retina), Windows at least 256.
    expect(config.linux?.icon).toBe('build/icons');
    expect(config.mac?.icon).toBe('build/icons/1024x1024.png');
    expect(config.win?.icon).toBe('build/icons/256x256.png');
  });
});
