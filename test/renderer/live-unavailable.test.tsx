// @vitest-environment happy-dom
// Live mode asked for and unusable: the panel is one blocking screen with the reason, what to do,
// and a deliberate switch to sandbox — never the fleet of some other mode.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { DEFAULT_SETTINGS, type LiveUnavailable } from '../../shared/domain';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const blocked = (requestedBy: LiveUnavailable['requestedBy'], canRestart = false) =>
  baseApi()
    .handle('app:info', () => ({
      ...appInfo(),
      canRestart,
      mode: 'live',
      notices: ['The token vault was damaged and moved aside.'],
      liveUnavailable: { reason: 'The vault passphrase is wrong (or the vault file was altered). Nothing was changed.', hint: 'Enter the passphrase the vault was created with (or fix OUTPOST_PASSPHRASE).', requestedBy },
    }))
    .handle('settings:update', (patch) => ({ ...DEFAULT_SETTINGS, ...patch }))
    .handle('app:restart', () => ({ restarting: true as const }));

describe('the live-mode-unavailable screen', () => {
  it('blocks the panel with the reason and what to do, and reads nothing else', async () => {
    const api = blocked('setting');
    render(<App />, { wrapper: withApi(api) });
    await screen.findByRole('heading', { name: 'Live mode unavailable' });
    expect(screen.getByText(/The vault passphrase is wrong/)).toBeTruthy();
    expect(screen.getByText(/Enter the passphrase the vault was created with/)).toBeTruthy();
    expect(screen.getByText(/damaged and moved aside/)).toBeTruthy();
    // Nothing of the normal panel: no navigation, no fleet, no sandbox banner.
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByText(/Sandbox/, { selector: 'strong' })).toBeNull();
    expect(api.calls.map((c) => c.channel).filter((c) => c !== 'app:info')).toEqual([]);
  });

  it('switches to sandbox only on purpose, saving the setting and saying a restart applies it', async () => {
    const api = blocked('setting');
    render(<App />, { wrapper: withApi(api) });
    const button = (await screen.findByRole('button', { name: 'Switch to sandbox' })) as HTMLButtonElement;
    expect(api.callsTo('settings:update')).toEqual([]);
    fireEvent.click(button);
    await screen.findByText('Saved. Restart Outpost: it will open in sandbox.');
    expect(api.callsTo('settings:update')).toEqual([{ mode: 'sandbox' }]);
    await waitFor(() => expect(button.disabled).toBe(true));
  });

  it('tells an operator who started it with --mode live that the option wins over the setting', async () => {
    render(<App />, { wrapper: withApi(blocked('option')) });
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to sandbox' }));
    await screen.findByText(/Start Outpost again without --mode live/);
  });

  it('in the desktop app, restarts into sandbox from the screen once the switch is saved', async () => {
    const api = blocked('setting', true);
    render(<App />, { wrapper: withApi(api) });
    expect(screen.queryByRole('button', { name: 'Restart now' })).toBeNull(); // nothing to restart into before the switch
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to sandbox' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Restart now' }));
    await waitFor(() => expect(api.callsTo('app:restart')).toEqual([{}]));
    await screen.findByRole('button', { name: 'Restarting…' });
  });

  it('offers no restart when --mode live started it (a relaunch would keep the option and open blocked again)', async () => {
    const api = blocked('option', true);
    render(<App />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to sandbox' }));
    await screen.findByText(/Start Outpost again without --mode live/);
    expect(screen.queryByRole('button', { name: 'Restart now' })).toBeNull();
  });

  it('is not shown when live mode works (or in sandbox)', async () => {
    render(<App />, { wrapper: withApi(baseApi()) });
    await screen.findByRole('navigation');
    expect(screen.queryByRole('heading', { name: 'Live mode unavailable' })).toBeNull();
  });
});
