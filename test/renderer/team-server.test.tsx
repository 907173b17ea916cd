// @vitest-environment happy-dom
// The desktop app as a team client in the panel: Settings → Team server connects with a URL and an API
// token (write-only: the field is emptied once sent, the token never shown), says why a connect was
// refused, disconnects after a confirmation; and every page shows a banner naming the server — not the
// token — while it cannot be reached. Browser mode has no team link and never asks.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { OutpostError } from '../../shared/errors';
import type { TeamStatus } from '../../shared/team';
import { Layout } from '../../renderer/src/components/Layout';
import { TeamServerSection } from '../../renderer/src/features/settings/TeamServerSection';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const TOKEN = 'outpost_pat_CANARY0123456789abcdefCANARY';
const solo: TeamStatus = { url: null, tokenStored: false, connected: false, reachable: null, message: null, role: null, checkedAt: null };
const connected: TeamStatus = { url: 'https://team.example.test', tokenStored: true, connected: true, reachable: true, message: null, role: 'support', checkedAt: '2026-11-29T10:00:00.000Z' };
const down: TeamStatus = { ...connected, reachable: false, message: 'The team server team.example.test cannot be reached: the connection failed.' };
const desktop = { ...appInfo(), transport: 'ipc' as const };

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Settings → Team server', () => {
  it('connects with the address and the token, empties the token field at once and shows the server and role, never the token', async () => {
    let status = solo;
    const api = baseApi()
      .handle('team:status', () => status)
      .handle('team:connect', () => (status = connected));
    render(<TeamServerSection />, { wrapper: withApi(api) });
    expect(await screen.findByRole('heading', { name: 'Solo mode' })).toBeTruthy();
    type('Server address', 'https://team.example.test');
    type('API token', TOKEN);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(api.callsTo('team:connect')).toEqual([{ url: 'https://team.example.test', token: TOKEN }]));
    expect((screen.getByLabelText('API token') as HTMLInputElement).value).toBe('');
    expect(await screen.findByText(/Connected to https:\/\/team.example.test as support/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'team.example.test' })).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('CANARY');
  });

  it('checks the fields before sending, and shows the server\'s refusal without connecting', async () => {
    const api = baseApi()
      .handle('team:status', () => solo)
      .handle('team:connect', () => {
        throw new OutpostError('unauthorized', 'The API token is not valid (revoked, or not of this server).', { hint: 'Make a new one with outpost users token.' });
      });
    render(<TeamServerSection />, { wrapper: withApi(api) });
    await screen.findByRole('heading', { name: 'Solo mode' });
    type('Server address', 'https://team.example.test');
    type('API token', 'not-a-token');
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(/An API token starts with outpost_pat_/)).toBeTruthy();
    expect(api.callsTo('team:connect')).toEqual([]);
    type('API token', TOKEN);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Not connected.*not valid/);
    expect(screen.getByRole('heading', { name: 'Solo mode' })).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('CANARY');
  });

  it('disconnects only after a confirmation', async () => {
    let status = connected;
    const api = baseApi()
      .handle('team:status', () => status)
      .handle('team:disconnect', () => (status = solo));
    render(<TeamServerSection />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect…' }));
    expect(api.callsTo('team:disconnect')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect and delete the token' }));
    await waitFor(() => expect(api.callsTo('team:disconnect')).toEqual([{}]));
    expect(await screen.findByRole('heading', { name: 'Solo mode' })).toBeTruthy();
  });
});

describe('the team server banner', () => {
  it('names the server on every page while it cannot be reached', async () => {
    render(<Layout info={desktop}>page</Layout>, { wrapper: withApi(baseApi().handle('team:status', () => down)) });
    const banner = await screen.findByRole('alert', { name: 'Team server unreachable' });
    expect(banner.textContent).toMatch(/The team server team.example.test cannot be reached/);
    expect(banner.textContent).not.toContain('outpost_pat_');
  });

  it('is absent while the server answers, in solo mode, and in browser mode (which never asks)', async () => {
    for (const status of [connected, solo]) {
      const api = baseApi().handle('team:status', () => status);
      render(<Layout info={desktop}>page</Layout>, { wrapper: withApi(api) });
      await waitFor(() => expect(api.callsTo('team:status').length).toBe(1));
      expect(screen.queryByRole('alert', { name: 'Team server unreachable' })).toBeNull();
      cleanup();
    }
    const browser = baseApi().handle('team:status', () => down);
    render(<Layout info={appInfo()}>page</Layout>, { wrapper: withApi(browser) });
    await screen.findByText('page');
    expect(browser.callsTo('team:status')).toEqual([]);
    expect(screen.queryByRole('alert', { name: 'Team server unreachable' })).toBeNull();
  });
});
