// The simulator's state file is written in the background: a write that fails (here, its directory
// removed under it) must not become an uncaught exception in the process that embeds the simulator
// (the desktop app), and the state stays dirty so a later write can still save it.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatePersister } from '../../../electron/sim/state';
import { tempDir } from '../../fixtures/temp-dir';

afterEach(() => vi.restoreAllMocks());

describe('StatePersister', () => {
  it('survives a failed background write and saves on the next try', async () => {
    const { dir, cleanup } = tempDir('outpost-persister-');
    try {
      const file = join(dir, 'state', 'sim.json');
      const state = { servers: [1] } as never;
      const persister = new StatePersister(file, () => state, 5);
      const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      rmSync(join(dir, 'state'), { recursive: true });
      persister.markDirty();
      await vi.waitFor(() => expect(warned).toHaveBeenCalledWith(expect.stringContaining('simulator state not saved')), { timeout: 5_000, interval: 5 });
      mkdirSync(join(dir, 'state'));
      persister.flush();
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ servers: [1] });
    } finally {
      cleanup();
    }
  });
});
