import type { App, Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEmitter, FakeWebContents, fakeEvent, resetElectronStub, session } from '../../stubs/electron';
import {
  hardenSession,
  hardenWebContents,
  installWebContentsHardening,
  isAllowedNavigation,
  openExternalGuard,
} from '../../../electron/main/security';
import { createSenderCheck, devServerOrigin, isAppUrl } from '../../../electron/main/origin';

beforeEach(() => resetElectronStub());

describe('openExternalGuard', () => {
  it.each([
    ['https://console.hetzner.cloud/projects', 'https://console.hetzner.cloud/projects'],
    ['https://console.hetzner.com/', 'https://console.hetzner.com/'],
    ['https://docs.hetzner.cloud/#servers', 'https://docs.hetzner.cloud/#servers'],
    ['https://login.tailscale.com/admin/machines', 'https://login.tailscale.com/admin/machines'],
    ['https://tailscale.com/kb', 'https://tailscale.com/kb'],
    ['https://github.com/outpost', 'https://github.com/outpost'],
    // Upper case scheme and host normalise to the listed host.
    ['HTTPS://GitHub.COM/x', 'https://github.com/x'],
    // The default port normalises away.
    ['https://github.com:443/x', 'https://github.com/x'],
  ])('allows %s', (raw, normalised) => {
    expect(openExternalGuard(raw)).toBe(normalised);
  });

  it.each([
    'http://github.com/',
    'https://evil@login.tailscale.com.evil.com/',
    'https://login.tailscale.com@evil.com/',
    'https://login.tailscale.com:pw@evil.com/',
    'https://user@github.com/',
    'https://user:pass@github.com/',
    'https://login.tailscale.com.evil.com/',
    'https://evil.com/login.tailscale.com',
    'https://evilgithub.com/',
    'https://api.github.com/',
    'https://github.com.:443/',
    'https://github.com./',
    'https://github.com:8443/',
    'https://github.com:0/',
    'https://xn--gthub-n4a.com/',
    'https://gíthub.com/',
    'https://github.com\\@evil.com/',
    'https://evil.com\\@github.com/',
    'https://github.com\n.evil.com/',
    ' https://github.com/',
    'https://github.com/\tx',
    'javascript:alert(1)',
    'javascript://github.com/%0aalert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ftp://github.com/',
    'smb://github.com/share',
    'app://outpost/index.html',
    'https:github.com',
    '//github.com/',
    'https://127.0.0.1/',
    'https://[::1]/',
    '',
    'https://' + 'a'.repeat(3000) + '.github.com/',
  ])('refuses %s', (raw) => {
    expect(openExternalGuard(raw)).toBeNull();
  });

  it.each([undefined, null, 42, {}, ['https://github.com/']])('refuses non-string %s', (raw) => {
    expect(openExternalGuard(raw)).toBeNull();
  });
});

describe('navigation and origin', () => {
  it.each(['app://outpost/index.html', 'app://outpost/', 'app://outpost/assets/x.js?v=1#top'])('allows %s', (url) => {
    expect(isAllowedNavigation(url, null)).toBe(true);
  });

  it.each([
    'https://evil.com/',
    'http://evil.com/',
    'app://outpost.evil/index.html',
    'app://outpost:8080/index.html',
    'app://user@outpost/index.html',
    'app://other/',
    'app://evil.com/outpost',
    'app:outpost',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,hi',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'http://localhost:5173/',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url, null)).toBe(false);
  });

  it('allows the dev server origin only when one is configured, and exactly that origin', () => {
    const dev = devServerOrigin('http://localhost:5173/', false);
    expect(dev).toBe('http://localhost:5173');
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
  });

  it('never trusts a dev server in a packaged app or off loopback', () => {
    expect(devServerOrigin('http://localhost:5173/', true)).toBeNull();
    expect(devServerOrigin('http://192.168.1.2:5173/', false)).toBeNull();
    expect(devServerOrigin('https://localhost:5173/', false)).toBeNull();
    expect(devServerOrigin(undefined, false)).toBeNull();
  });

  it('trusts only the top frame of an app page as an IPC sender', () => {
    const trusted = createSenderCheck(null);
    expect(trusted({ url: 'app://outpost/index.html', parent: null })).toBe(true);
    expect(trusted(null)).toBe(false);
    expect(trusted(undefined)).toBe(false);
    expect(trusted({ url: 'app://outpost/index.html', parent: {} })).toBe(false);
    expect(trusted({ url: 'https://evil.com/', parent: null })).toBe(false);
    expect(trusted({ url: 'app://outpost.evil/', parent: null })).toBe(false);
    expect(trusted({ url: '', parent: null })).toBe(false);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
    };
    expect(trusted(disposed)).toBe(false);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const ses = session.defaultSession;
    hardenSession(ses as unknown as Session);
    const callback = vi.fn();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      ses.permissionRequestHandler?.({}, permission, callback, {});
      expect(ses.permissionCheckHandler?.({}, permission, 'app://outpost', {})).toBe(false);
    }
    expect(callback).toHaveBeenCalledTimes(5);
    expect(callback.mock.calls.every(([granted]) => granted === false)).toBe(true);
  });
});

describe('hardenWebContents', () => {
  const setup = () => {
    const contents = new FakeWebContents();
    const openExternal = vi.fn();
    hardenWebContents(contents as unknown as WebContents, { devOrigin: null, openExternal });
    return { contents, openExternal };
  };

  it('blocks navigation away from the app and opens allow-listed links in the browser instead', () => {
    const { contents, openExternal } = setup();
    const external = fakeEvent({ url: 'https://github.com/outpost' });
    contents.emit('will-navigate', external, external.url);
    expect(external.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://github.com/outpost');

    const evil = fakeEvent({ url: 'https://evil.com/' });
    contents.emit('will-navigate', evil, evil.url);
    expect(evil.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('lets in-app navigation through', () => {
    const { contents } = setup();
    const inApp = fakeEvent({ url: 'app://outpost/index.html' });
    contents.emit('will-navigate', inApp, inApp.url);
    expect(inApp.defaultPrevented).toBe(false);
  });

  it('uses the event url, not a stale argument', () => {
    const { contents } = setup();
    const event = fakeEvent({ url: 'https://evil.com/' });
    contents.emit('will-navigate', event, 'app://outpost/index.html');
    expect(event.defaultPrevented).toBe(true);
  });

  it.each(['https://evil.com/', 'app://outpost.evil/', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'blocks a redirect to %s',
    (url) => {
      const { contents, openExternal } = setup();
      const event = fakeEvent({ url });
      contents.emit('will-redirect', event, url);
      expect(event.defaultPrevented).toBe(true);
      expect(openExternal).not.toHaveBeenCalled();
    },
  );

  it('blocks subframe navigation off the app and every webview', () => {
    const { contents } = setup();
    const frame = fakeEvent({ url: 'https://evil.com/', isMainFrame: false });
    contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('denies every window.open, routing only allow-listed https links to the browser', () => {
    const { contents, openExternal } = setup();
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://console.hetzner.cloud/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'app://outpost/index.html' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://console.hetzner.cloud/']]);
  });

  it('hardens every web contents the app creates', () => {
    const app = new FakeEmitter();
    installWebContentsHardening(app as unknown as App, { devOrigin: null, openExternal: vi.fn() });
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-redirect')).toBe(1);
  });
});
