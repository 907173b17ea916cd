import type { App, BrowserWindow as ElectronWindow } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { acquireSingleInstance } from '../../../electron/main/single-instance';
import { app, BrowserWindow, resetElectronStub } from '../../stubs/electron';

beforeEach(() => resetElectronStub());
const theApp = app as unknown as App;

describe('acquireSingleInstance', () => {
  it('quits when another instance holds the lock', () => {
    app.singleInstanceLock = false;
    expect(acquireSingleInstance(theApp, () => null)).toBe(false);
    expect(app.quitCalls).toBe(1);
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('keeps running with the lock and focuses the window on a second launch', () => {
    const win = new BrowserWindow({});
    win.minimized = true;
    expect(acquireSingleInstance(theApp, () => win as unknown as ElectronWindow)).toBe(true);
    expect(app.quitCalls).toBe(0);
    app.emit('second-instance', {}, ['outpost', '--evil'], '/');
    expect(win.minimized).toBe(false);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('does nothing on a second launch before the window exists', () => {
    expect(acquireSingleInstance(theApp, () => null)).toBe(true);
    expect(() => app.emit('second-instance', {}, [], '/')).not.toThrow();
  });
});
