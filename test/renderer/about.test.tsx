// @vitest-environment happy-dom
// Issue 17 item 6: About in Settings shows the version, the runtime and the data directory.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { OutpostError } from '../../shared/errors';
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
  const runtime = { electron: '45.5.0', chromium: '140.0.7339.41', node: '22.20.0', os: 'Linux 6.1.0 x64' };

  it('in the desktop app: version, the runtime core runs on, the data directory, and a button that opens it', async () => {
    const opened: unknown[] = [];
    const api = baseApi()
      .handle('app:info', () => ({ ...appInfo(), version: '1.2.3', dataDir: '/home/ops/.config/Outpost', transport: 'ipc', runtime, canOpenDataDir: true }))
      .handle('app:openDataDir', (req) => {
        opened.push(req);
        return { opened: true };
      });
    render(<AboutSection userAgent={ELECTRON_UA} />, { wrapper: withApi(api) });
    const about = await screen.findByRole('region', { name: 'About' });
    expect(about.textContent).toContain('Outpost 1.2.3');
    expect(about.textContent).toContain('the desktop app · Electron 45.5.0 · Chromium 140.0.7339.41 · Node 22.20.0 · Linux 6.1.0 x64');
    expect(about.textContent).toContain('/home/ops/.config/Outpost');
    expect(screen.getByRole('button', { name: 'Copy the data directory' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open data folder' }));
    await waitFor(() => expect(opened).toEqual([{}]));
  });

  it('says why when the folder does not open', async () => {
    const api = baseApi()
      .handle('app:info', () => ({ ...appInfo(), transport: 'ipc', runtime, canOpenDataDir: true }))
      .handle('app:openDataDir', () => {
        throw new OutpostError('unavailable', 'The data folder could not be opened: no file manager', { hint: 'Copy the path from About and open it in your file manager.' });
      });
    render(<AboutSection userAgent={ELECTRON_UA} />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: 'Open data folder' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('no file manager');
    expect(alert.textContent).toContain('Copy the path');
  });

  it('in browser mode: core’s runtime, the browser viewing it, no open button, and the command that exports diagnostics', async () => {
    const api = baseApi().handle('app:info', () => ({ ...appInfo(), version: '1.2.3', transport: 'http', runtime: { ...runtime, electron: null, chromium: null }, canOpenDataDir: false }));
    render(<AboutSection userAgent={FIREFOX_UA} />, { wrapper: withApi(api) });
    const about = await screen.findByRole('region', { name: 'About' });
    expect(about.textContent).toContain('browser mode · Node 22.20.0 · Linux 6.1.0 x64 · viewed in Firefox 140.0');
    expect(about.textContent).toContain('outpost diagnostics --out');
    expect(about.textContent).not.toContain('Help →');
    expect(screen.queryByRole('button', { name: 'Open data folder' })).toBeNull();
  });
});
