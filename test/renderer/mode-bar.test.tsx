// @vitest-environment happy-dom
// The mode at the top of every page: live on its own (red) bar naming the clouds it acts on, sandbox on
// the amber one; switching is one button there, confirmed first, refused toward live without tokens.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain';
import type { TokenStatus } from '../../shared/tokens';
import { Layout } from '../../renderer/src/components/Layout';
import { NEEDS_TOKENS } from '../../renderer/src/features/mode/ModeBar';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const live = { ...appInfo(), mode: 'live' as const };
const switchButton = (name: RegExp) =>
  waitFor(() => {
    const b = screen.getByRole('button', { name }) as HTMLButtonElement;
    expect(b.disabled).toBe(false);
    return b;
  });

describe('the mode bar', () => {
  it('names live mode on a bar of its own colour, with the Hetzner token and the tailnet client it acts on', async () => {
    const tokens: TokenStatus = {
      hetzner: { state: 'valid', checkedAt: null, message: null, capabilities: { write: true } },
      tailscale: { state: 'valid', checkedAt: null, message: null, capabilities: { tags: ['tag:outpost'] } },
      vault: { format: 'v1:gcm', locked: false, notices: [] },
    };
    render(<Layout info={live}>page</Layout>, { wrapper: withApi(baseApi().handle('tokens:status', () => tokens)) });
    const bar = screen.getByRole('region', { name: 'Live mode' });
    expect(bar.className).toContain('mode-bar-live');
    expect(bar.className).not.toContain('sandbox-banner');
    await waitFor(() => expect(bar.textContent).toMatch(/Hetzner token valid · tailnet OAuth client tagged tag:outpost/));
    expect(bar.textContent).toMatch(/real money/);
  });

  it('switches to sandbox in one action from the bar, after a confirmation, and says what must restart', async () => {
    let saved: Settings = { ...DEFAULT_SETTINGS, mode: 'live' };
    const api = baseApi().handle('settings:update', (patch) => (saved = { ...saved, ...patch }));
    render(<Layout info={live}>page</Layout>, { wrapper: withApi(api) });
    fireEvent.click(await switchButton(/Switch to sandbox…/));
    const dialog = screen.getByRole('alertdialog', { name: 'Switch to sandbox mode?' });
    expect(api.callsTo('settings:update')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Switch to sandbox' }));
    await waitFor(() => expect(api.callsTo('settings:update')).toEqual([{ mode: 'sandbox' }]));
    expect((await screen.findByText(/stop Outpost \(`outpost web`\) and start it again to open in sandbox mode/)).getAttribute('role')).toBe('status');
    expect(api.callsTo('app:restart')).toEqual([]); // browser mode cannot restart its server
  });

  it('in the desktop app, switches and restarts in one action: saved first, then one restart', async () => {
    const order: string[] = [];
    const api = baseApi()
      .handle('settings:update', (patch) => {
        order.push('save');
        return { ...DEFAULT_SETTINGS, ...patch };
      })
      .handle('app:restart', () => {
        order.push('restart');
        return { restarting: true as const };
      });
    render(<Layout info={{ ...live, transport: 'ipc', canRestart: true }}>page</Layout>, { wrapper: withApi(api) });
    fireEvent.click(await switchButton(/Switch to sandbox…/));
    const dialog = screen.getByRole('alertdialog', { name: 'Switch to sandbox mode?' });
    expect(dialog.textContent).toContain('Outpost restarts to switch');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Switch and restart' }));
    await waitFor(() => expect(order).toEqual(['save', 'restart']));
    expect(api.callsTo('settings:update')).toEqual([{ mode: 'sandbox' }]);
    expect((await screen.findByText(/Outpost is restarting in sandbox mode/)).getAttribute('role')).toBe('status');
  });

  it('in sandbox, refuses the switch to live until both tokens are stored', async () => {
    const missing = { state: 'missing' as const, checkedAt: null, message: null };
    const api = baseApi().handle('tokens:status', () => ({ hetzner: missing, tailscale: missing, vault: { format: null, locked: false, notices: [] } }));
    render(<Layout info={appInfo()}>page</Layout>, { wrapper: withApi(api) });
    expect(screen.getByRole('region', { name: 'Sandbox mode' }).className).toContain('sandbox-banner');
    fireEvent.click(await switchButton(/Switch to live…/));
    const dialog = screen.getByRole('alertdialog', { name: 'Switch to live mode?' });
    await within(dialog).findByText(NEEDS_TOKENS);
    expect((within(dialog).getByRole('button', { name: 'Switch to live' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('is not offered to support (the permission table refuses a mode change)', async () => {
    render(<Layout info={appInfo('support')}>page</Layout>, { wrapper: withApi(baseApi('support')) });
    await waitFor(() => expect((screen.getByRole('button', { name: /Switch to live…/ }) as HTMLButtonElement).disabled).toBe(true));
  });
});

