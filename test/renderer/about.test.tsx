// @vitest-environment happy-dom
// Issue 17 item 6: About in Settings shows the version, the runtime and the data directory.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { AboutSection } from '../../renderer/src/features/about/AboutSection';
import { runtimeFromUserAgent } from '../../renderer/src/features/about/runtime';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const ELECTRON_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Outpost/0.1.0 Chrome/140.0.7339.41 Electron/45.5.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

describe('runtimeFromUserAgent', () => {
  it('reads Electron and Chromium from the desktop app’s user agent', () => {
    expect(runtimeFromUserAgent(ELECTRON_UA)).toEqual({ electron: '45.5.0', chromium: '140.0.7339.41', browser: null });
  });
  it('names the browser in browser mode', () => {
    expect(runtimeFromUserAgent(FIREFOX_UA)).toEqual({ electron: null, chromium: null, browser: 'Firefox 140.0' });
    expect(runtimeFromUserAgent('Mozilla/5.0 AppleWebKit/537.36 Chrome/141.0.1 Safari/537.36').browser).toBe('Chromium 141.0.1');
    expect(runtimeFromUserAgent('Mozilla/5.0 AppleWebKit/605.1.15 Version/18.2 Safari/605.1.15').browser).toBe('Safari 18.2');
  });
});

describe('About', () => {
  it('in the desktop app: version, Electron and Chromium, the data directory, and where to open it', async () => {
    const api = baseApi().handle('app:info', () => ({ ...appInfo(), version: '1.2.3', dataDir: '/home/ops/.config/Outpost', transport: 'ipc' }));
    render(<AboutSection userAgent={ELECTRON_UA} />, { wrapper: withApi(api) });
    const about = await screen.findByRole('region', { name: 'About' });
    expect(about.textContent).toContain('Outpost 1.2.3');
    expect(about.textContent).toContain('the desktop app · Electron 45.5.0 · Chromium 140.0.7339.41');
    expect(about.textContent).toContain('/home/ops/.config/Outpost');
    expect(about.textContent).toContain('Help → Open data folder');
    expect(screen.getByRole('button', { name: 'Copy the data directory' })).toBeTruthy();
  });

  it('in browser mode: the browser, and the command that exports diagnostics', async () => {
    const api = baseApi().handle('app:info', () => ({ ...appInfo(), version: '1.2.3', transport: 'http' }));
    render(<AboutSection userAgent={FIREFOX_UA} />, { wrapper: withApi(api) });
    const about = await screen.findByRole('region', { name: 'About' });
    expect(about.textContent).toContain('browser mode · Firefox 140.0');
    expect(about.textContent).toContain('outpost diagnostics --out');
    expect(about.textContent).not.toContain('Help →');
  });
});
