import { chmodSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparePrivateDataDir } from '../../../electron/boot/private-files';
import { tempDir } from '../../fixtures/temp-dir';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir('outpost-private-')));
afterEach(() => cleanup());
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe.runIf(process.platform !== 'win32')('preparePrivateDataDir', () => {
  it('creates the directory 0700, parents included, whatever the umask', () => {
    const old = process.umask(0);
    try {
      const dir = join(root, 'a', 'b', 'Outpost');
      expect(preparePrivateDataDir(dir)).toEqual([]);
      expect(mode(dir)).toBe('700');
    } finally {
      process.umask(old);
    }
  });

  it('tightens the directory and its files, says which, and leaves 0600 files, subdirectories and symlink targets alone', () => {
    const dir = join(root, 'Outpost');
    mkdirSync(dir);
    writeFileSync(join(dir, 'loose.json'), '{}');
    writeFileSync(join(dir, 'fine.json'), '{}', { mode: 0o600 });
    mkdirSync(join(dir, 'Cache'));
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'not ours');
    symlinkSync(outside, join(dir, 'link'));
    chmodSync(join(dir, 'loose.json'), 0o644);
    chmodSync(join(dir, 'fine.json'), 0o600);
    chmodSync(join(dir, 'Cache'), 0o755);
    chmodSync(outside, 0o644);
    chmodSync(dir, 0o755);

    expect(preparePrivateDataDir(dir).sort()).toEqual(['.', 'loose.json']);
    expect([mode(dir), mode(join(dir, 'loose.json')), mode(join(dir, 'fine.json')), mode(join(dir, 'Cache')), mode(outside)]).toEqual(['700', '600', '600', '755', '644']);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(preparePrivateDataDir(dir)).toEqual([]); // nothing left to do
  });

  it('changes no mode on Windows, which has none', () => {
    const dir = join(root, 'win');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(preparePrivateDataDir(dir, 'win32')).toEqual([]);
    expect(mode(dir)).toBe('755');
  });
});
