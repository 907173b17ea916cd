// One Outpost per data directory: two processes resuming the same jobs would each compensate or
// create on their own. A pid file held with O_EXCL; a lock left by a killed process is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { OutpostError } from '../../shared/errors';
import { preparePrivateDataDir } from './private-files';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function lockDataDir(dataDir: string): () => void {
  // Every start passes here first (runtime, blocked panel): the place to make the directory private.
  preparePrivateDataDir(dataDir);
  const file = join(dataDir, 'outpost.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new OutpostError('conflict', `Another Outpost (pid ${holder}) is using ${dataDir}.`, {
          hint: 'Close it first, or pass another --data-dir.',
        });
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new OutpostError('conflict', `Could not lock ${dataDir}.`, { hint: 'Remove outpost.lock there if no Outpost is running.' });
}
