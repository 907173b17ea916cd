// @vitest-environment happy-dom
// Settings → Tokens → Reset the vault: says what will be lost, goes ahead only with the phrase typed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { TokenStatus } from '../../shared/tokens';
import { TokensSection } from '../../renderer/src/features/settings/TokensSection';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

const missing = { state: 'missing' as const, checkedAt: null, message: null };
const lockedVault: TokenStatus = {
  hetzner: { state: 'stored', checkedAt: null, message: null },
  tailscale: { state: 'stored', checkedAt: null, message: null },
  vault: { format: 'v1:gcm', locked: true, notices: [] },
};

describe('Reset the vault', () => {
  it('says what will be lost and resets only once the phrase is typed', async () => {
    let status = lockedVault;
    const api = baseApi()
      .handle('tokens:status', () => status)
      .handle('tokens:reset', () => (status = { hetzner: missing, tailscale: missing, vault: { format: null, locked: false, notices: [] } }));
    render(<TokensSection />, { wrapper: withApi(api) });
    const enabled = () => screen.getByRole('button', { name: 'Reset the vault…' }) as HTMLButtonElement;
    await waitFor(() => expect(enabled().disabled).toBe(false)); // once the role is known
    fireEvent.click(enabled());
    const dialog = screen.getByRole('alertdialog', { name: 'Reset the vault?' });
    expect(dialog.textContent).toMatch(/This deletes the Hetzner API token and the Tailscale OAuth client \(id and secret\) for good/);
    expect(dialog.textContent).toMatch(/VMs, jobs and settings are kept/);
    const confirm = screen.getByRole('button', { name: 'Delete all tokens' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    const input = screen.getByRole('textbox', { name: 'Type "delete all tokens" to confirm' });
    fireEvent.change(input, { target: { value: 'delete all' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.submit(confirm.closest('form')!);
    expect(api.callsTo('tokens:reset')).toEqual([]);
    fireEvent.change(input, { target: { value: 'delete all tokens' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(api.callsTo('tokens:reset')).toEqual([{ confirm: 'delete all tokens' }]));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Reset the vault…' })).toBeNull()); // no vault any more
  });

  it('is not offered when there is no vault', async () => {
    const api = baseApi().handle('tokens:status', () => ({ hetzner: missing, tailscale: missing, vault: { format: null, locked: false, notices: [] } }));
    render(<TokensSection />, { wrapper: withApi(api) });
    await screen.findByRole('article', { name: 'Hetzner Cloud API token' });
    expect(screen.queryByRole('button', { name: 'Reset the vault…' })).toBeNull();
  });

  it('is refused to the support role, with the reason shown', async () => {
    render(<TokensSection />, { wrapper: withApi(baseApi('support').handle('tokens:status', () => lockedVault)) });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Reset the vault…' }).closest('.guarded')?.textContent).toMatch(/support/i));
    expect((screen.getByRole('button', { name: 'Reset the vault…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
