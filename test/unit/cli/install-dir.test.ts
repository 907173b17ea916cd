// installDir: the one anchor for files beside the code (dist-web/), right from the sources and from
// any depth of the build (out/main/cli.js, out/main/chunks/*.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { installDir } from '../../../electron/cli/install-dir';
import { tempDir } from '../../fixtures/temp-dir';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
let temp: ReturnType<typeof tempDir> | undefined;
afterEach(() => temp?.cleanup());

/** A fake install: package.json named `name` at the top, an empty out/main/chunks/. */
function install(name = 'outpost'): string {
  temp = tempDir('outpost-install-dir-');
  writeFileSync(join(temp.dir, 'package.json'), JSON.stringify({ name }));
  mkdirSync(join(temp.dir, 'out', 'main', 'chunks'), { recursive: true });
  return temp.dir;
}
const at = (dir: string, ...file: string[]) => pathToFileURL(join(dir, ...file)).href;

describe('installDir', () => {
  it('is the repository when running from the sources', () => {
    expect(installDir()).toBe(repoRoot);
  });

  it('is the top of the install from the built entry and from a chunk', () => {
    const dir = install();
    expect(installDir(at(dir, 'out', 'main', 'cli.js'))).toBe(dir);
    expect(installDir(at(dir, 'out', 'main', 'chunks', 'web-abc123.js'))).toBe(dir);
  });

  it("passes over a package.json that is not Outpost's", () => {
    const dir = install();
    writeFileSync(join(dir, 'out', 'package.json'), JSON.stringify({ name: 'outpost-evil', type: 'commonjs' }));
    writeFileSync(join(dir, 'out', 'main', 'package.json'), '{ not json');
    expect(installDir(at(dir, 'out', 'main', 'cli.js'))).toBe(dir);
  });

  it('says what to do when there is no Outpost package.json above', () => {
    const dir = install('something-else');
    expect(() => installDir(at(dir, 'out', 'main', 'cli.js'))).toThrow(/Outpost's package\.json is not in .*out\/main or any folder above it\. Reinstall Outpost/);
  });
});
