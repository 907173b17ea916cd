// The desktop shell's two powers, as core offers them. Issue 17 item 6: About shows the runtime core
// runs on and, in the desktop app, opens the data directory. Issue 14 item 7: a mode switch restarts
// the app in one action. Only the desktop's IPC may make this machine open a folder or restart: not
// browser mode's HTTP (a remote browser), not the command, and not a runtime the shell gave no power
// to; and restarting, which interrupts every job, is the operator's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanelRuntime, type PanelRuntime } from '../../../electron/boot/blocked-runtime';
import { localApi } from '../../../electron/core/dispatch';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { runtimeInfo } from '../../../electron/core/services/desktop';
import { fixedPassphrase } from '../../../electron/core/vault';
import { OutpostError } from '../../../shared/errors';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

const opened: string[] = [];
let answer = '';
let relaunches = 0;
/** Whether the caller had its answer when the relaunch came, per relaunch. */
const answeredAtRelaunch: boolean[] = [];
let answered = false;
const desktop = {
  openPath: async (path: string) => {
    opened.push(path);
    return answer;
  },
  relaunch: () => {
    relaunches += 1;
    answeredAtRelaunch.push(answered);
  },
};

const settings = new MemorySettings();
const start = (dataDir: string, mode: 'sandbox' | 'live', withDesktop: boolean): Promise<PanelRuntime> => {
  settings.set('mode', mode);
  settings.set('role', 'operator');
  return startPanelRuntime({
    dataDir,
    events: new MemoryEventSink(),
    settings,
    log: silentLogger,
    fleetSyncIntervalMs: 0,
    simTimeScale: 0.01,
    resume: false,
    vaultCiphers: { passphrase: fixedPassphrase('never used here') },
    liveUrls: { hetznerUrl: 'http://127.0.0.1:9/hetzner/v1', tailscaleUrl: 'http://127.0.0.1:9/tailscale' },
    ...(withDesktop ? { desktop } : {}),
  });
};

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof OutpostError ? e : null),
  );

describe.each([
  ['a running sandbox runtime', 'sandbox'],
  ['a blocked live panel', 'live'],
] as const)('%s', (_name, mode) => {
  let dir: string;
  let cleanup: () => void;
  let withShell: PanelRuntime;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('outpost-open-dir-'));
    withShell = await start(dir, mode, true);
  });
  afterAll(async () => {
    await withShell.close();
    cleanup();
  });

  it('says over IPC that it can open the data directory, and opens exactly that directory', async () => {
    opened.length = 0;
    answer = '';
    const ipc = localApi(withShell.handlers, { transport: 'ipc' });
    const info = await ipc.call('app:info', {});
    expect(info.canOpenDataDir).toBe(true);
    expect(info.runtime).toEqual(runtimeInfo());
    expect(info.runtime.node).toBe(process.versions.node);
    expect(await ipc.call('app:openDataDir', {})).toEqual({ opened: true });
    expect(opened).toEqual([dir]);
  });

  it('never opens a folder for browser mode or the command, and says so', async () => {
    opened.length = 0;
    for (const transport of ['http', 'cli'] as const) {
      const api = localApi(withShell.handlers, { transport });
      expect((await api.call('app:info', {})).canOpenDataDir).toBe(false);
      const error = await refusal(api.call('app:openDataDir', {}));
      expect(error?.code).toBe('unavailable');
      expect(error?.message).toContain('Only the desktop app');
    }
    expect(opened).toEqual([]);
  });

  it('restarts over IPC, for the operator, after answering', async () => {
    settings.set('role', 'operator');
    const before = relaunches;
    const ipc = localApi(withShell.handlers, { transport: 'ipc' });
    expect((await ipc.call('app:info', {})).canRestart).toBe(true);
    answered = false;
    answeredAtRelaunch.length = 0;
    expect(await ipc.call('app:restart', {})).toEqual({ restarting: true });
    answered = true;
    await waitUntil(() => relaunches === before + 1, 'the relaunch');
    expect(answeredAtRelaunch).toEqual([true]);
  });

  it('never restarts for the support role, browser mode or the command', async () => {
    const before = relaunches;
    settings.set('role', 'support');
    const refusedForRole = await refusal(localApi(withShell.handlers, { transport: 'ipc' }).call('app:restart', {}));
    settings.set('role', 'operator');
    expect(refusedForRole?.code).toBe('read_only');
    for (const transport of ['http', 'cli'] as const) {
      const api = localApi(withShell.handlers, { transport });
      expect((await api.call('app:info', {})).canRestart).toBe(false);
      const error = await refusal(api.call('app:restart', {}));
      expect(error?.code).toBe('unavailable');
      expect(error?.hint).toContain('start it again');
    }
    // A restart is scheduled after its answer (setImmediate, run in order). None has come; one that a
    // refusal above scheduled would come before the operator's allowed one below, so count once it came.
    expect(relaunches).toBe(before);
    await localApi(withShell.handlers, { transport: 'ipc' }).call('app:restart', {});
    await waitUntil(() => relaunches > before, "the operator's relaunch");
    expect(relaunches).toBe(before + 1);
  });

  it("passes the system's reason on when the folder cannot be opened", async () => {
    answer = 'No application is registered to open folders';
    const error = await refusal(localApi(withShell.handlers, { transport: 'ipc' }).call('app:openDataDir', {}));
    answer = '';
    expect(error?.code).toBe('unavailable');
    expect(error?.message).toBe('The data folder could not be opened: No application is registered to open folders');
    expect(error?.hint).toContain('Copy the path');
  });
});

describe('a runtime the shell gave no power to (browser mode, the command)', () => {
  it('refuses over IPC too', async () => {
    const { dir, cleanup } = tempDir('outpost-open-dir-');
    const runtime = await start(dir, 'sandbox', false);
    try {
      const ipc = localApi(runtime.handlers, { transport: 'ipc' });
      expect((await ipc.call('app:info', {})).canOpenDataDir).toBe(false);
      expect((await refusal(ipc.call('app:openDataDir', {})))?.code).toBe('unavailable');
      expect((await ipc.call('app:info', {})).canRestart).toBe(false);
      expect((await refusal(ipc.call('app:restart', {})))?.code).toBe('unavailable');
    } finally {
      await runtime.close();
      cleanup();
    }
  });
});

describe('runtimeInfo', () => {
  it('reads Electron and Chromium from the process, null outside Electron', () => {
    const versions = { ...process.versions, electron: '45.5.0', chrome: '140.0.7339.41' } as NodeJS.ProcessVersions;
    expect(runtimeInfo(versions)).toMatchObject({ electron: '45.5.0', chromium: '140.0.7339.41', node: process.versions.node });
    expect(runtimeInfo({ ...process.versions, electron: undefined, chrome: undefined } as unknown as NodeJS.ProcessVersions)).toMatchObject({ electron: null, chromium: null });
    expect(runtimeInfo().os).toMatch(/^\S+ \S+ \S+$/);
  });
});
