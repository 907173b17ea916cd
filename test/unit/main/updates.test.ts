// Issue 17 item 7: electron-updater with a generic provider, off until OUTPOST_UPDATE_URL is set.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log';
import { startUpdates, updateFeed, type Updater } from '../../../electron/main/updates';
import { OutpostError } from '../../../shared/errors';

function fakeUpdater() {
  const calls: string[] = [];
  const updater: Updater & { feed?: unknown } = {
    autoDownload: false,
    logger: null,
    setFeedURL(options) {
      updater.feed = options;
      calls.push('setFeedURL');
    },
    async checkForUpdatesAndNotify() {
      calls.push('check');
      return null;
    },
  };
  let loads = 0;
  return { updater, calls, load: async () => (loads++, updater), loads: () => loads };
}

const lines: string[] = [];
const log = createLogger({ sink: (l) => lines.push(l) });

describe('updates', () => {
  it('are off, and electron-updater is not even loaded, until a URL is set', async () => {
    const f = fakeUpdater();
    expect(await startUpdates({ env: {}, isPackaged: true, load: f.load, log })).toEqual({ enabled: false, reason: 'OUTPOST_UPDATE_URL is not set' });
    expect(await startUpdates({ env: { OUTPOST_UPDATE_URL: '  ' }, isPackaged: true, load: f.load, log })).toMatchObject({ enabled: false });
    expect(f.loads()).toBe(0);
  });

  it('are off when running unpackaged (npm start), whatever the URL', async () => {
    const f = fakeUpdater();
    expect(await startUpdates({ env: { OUTPOST_UPDATE_URL: 'https://updates.example/outpost/' }, isPackaged: false, load: f.load, log })).toEqual({ enabled: false, reason: 'not packaged' });
    expect(f.loads()).toBe(0);
  });

  it('check the generic feed at the URL once it is set', async () => {
    const f = fakeUpdater();
    const state = await startUpdates({ env: { OUTPOST_UPDATE_URL: 'https://updates.example/outpost/' }, isPackaged: true, load: f.load, log });
    expect(state).toEqual({ enabled: true, url: 'https://updates.example/outpost/' });
    expect(f.updater.feed).toEqual({ provider: 'generic', url: 'https://updates.example/outpost/' });
    expect(f.calls).toEqual(['setFeedURL', 'check']);
    expect(f.updater.autoDownload).toBe(true);
  });

  it('refuse a URL that is not https, or carries credentials, naming the variable; nothing is loaded', async () => {
    for (const bad of ['http://updates.example/', 'https://u:p4ssw0rd-secret@updates.example/', 'not a url']) {
      expect(() => updateFeed({ OUTPOST_UPDATE_URL: bad })).toThrow(OutpostError);
      expect(() => updateFeed({ OUTPOST_UPDATE_URL: bad })).toThrow(/^OUTPOST_UPDATE_URL /);
    }
    const f = fakeUpdater();
    lines.length = 0;
    const state = await startUpdates({ env: { OUTPOST_UPDATE_URL: 'https://u:p4ssw0rd-secret@updates.example/' }, isPackaged: true, load: f.load, log });
    expect(state.enabled).toBe(false);
    expect(f.loads()).toBe(0);
    expect(lines.join('\n')).not.toContain('p4ssw0rd-secret');
  });
});
