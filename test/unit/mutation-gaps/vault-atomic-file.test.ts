// The vault's atomic write and temp-file sweep (electron/core/vault/atomic-file.ts) on a real temp
// directory: a write lands whole at mode 0600 or not at all, and the sweep removes a dead writer's
// temp file but never a live writer's. Written to kill mutants StrykerJS found surviving.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepTempFiles, syncDir, writeFileAtomic } from '../../../electron/core/vault/atomic-file';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'outpost-atomic-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes every byte of a large buffer, private, and leaves no temp file', () => {
    const file = join(tempDir(), 'vault.json');
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    writeFileAtomic(file, data);
    expect(readFileSync(file).equals(data)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['vault.json']);
  });

  it('closes every file and directory it opens (the desktop app rewrites the vault for weeks)', () => {
    const dir = tempDir();
    // Descriptors of this process that point into `dir` (Linux /proc): other activity cannot count.
    const openInDir = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(join('/proc/self/fd', fd)).startsWith(dir);
        } catch {
          return false; // closed meanwhile
        }
      }).length;
    for (let i = 0; i < 5; i++) writeFileAtomic(join(dir, 'vault.json'), Buffer.from(`value ${i}`));
    syncDir(dir);
    expect(openInDir()).toBe(0);
  });

  it('a crash before the rename keeps the old file and removes the temp file', () => {
    const file = join(tempDir(), 'vault.json');
    writeFileAtomic(file, Buffer.from('old'));
    expect(() =>
      writeFileAtomic(file, Buffer.from('new'), {
        beforeRename: () => {
          throw new Error('crash');
        },
      }),
    ).toThrow('crash');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(join(file, '..'))).toEqual(['vault.json']);
  });
});

describe('sweepTempFiles', () => {
  it("removes this process's and dead processes' temp files, keeps a live writer's and unrelated files", async () => {
    const dir = tempDir();
    const file = join(dir, 'vault.json');
    // A live process that is not this one: its temp file may still be renamed into place.
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const names = [
        `vault.json.tmp-${process.pid}-aaaa`,
        `vault.json.tmp-${live.pid}-bbbb`,
        'vault.json.tmp-999999999-cccc',
        'vault.json.tmp-0-dddd',
        'vault.json.tmp-garbage-eeee',
        'other.json.tmp-1-ffff',
        'vault.json',
      ];
      for (const n of names) writeFileSync(join(dir, n), 'x');
      expect(sweepTempFiles(file)).toBe(4);
      expect(readdirSync(dir).sort()).toEqual(['other.json.tmp-1-ffff', 'vault.json', `vault.json.tmp-${live.pid}-bbbb`].sort());
    } finally {
      live.kill();
    }
  });

  it('a missing directory sweeps nothing', () => {
    expect(sweepTempFiles(join(tempDir(), 'missing', 'vault.json'))).toBe(0);
  });
});
