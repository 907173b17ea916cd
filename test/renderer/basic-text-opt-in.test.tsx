// @vitest-environment happy-dom
// Settings offers the basic_text opt-in in the desktop app only, explains what it means, and saves
// it through settings:update like every other setting.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DEFAULT_SETTINGS, type AppInfo, type Settings } from '../../shared/domain';
import { BASIC_TEXT_LABEL } from '../../renderer/src/features/settings/BasicTextOptIn';
import { SettingsForm } from '../../renderer/src/features/settings/SettingsForm';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const desktop = (role: AppInfo['role'] = 'operator') => {
  let stored: Settings = { ...DEFAULT_SETTINGS, role };
  return baseApi(role)
    .handle('app:info', () => ({ ...appInfo(role), transport: 'ipc' }))
    .handle('settings:update', (patch) => (stored = { ...stored, ...patch }));
};

describe('basic_text opt-in', () => {
  it('is offered in the desktop app with a plain explanation, and saved with the settings', async () => {
    const api = desktop();
    render(<SettingsForm saved={{ ...DEFAULT_SETTINGS }} />, { wrapper: withApi(api) });
    const box = (await screen.findByRole('checkbox', { name: BASIC_TEXT_LABEL })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    const explained = document.getElementById('basic-text-explained')?.textContent ?? '';
    expect(explained).toMatch(/key hard-coded in Electron/);
    expect(explained).toMatch(/any program running as your user can read them/);
    expect(explained).toMatch(/obfuscation, not protection/);
    await waitFor(() => expect(box.closest('fieldset')?.disabled).toBe(false)); // once the role is known
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(api.callsTo('settings:update')).toEqual([{ acceptBasicTextEncryption: true }]));
  });

  it('is not shown in browser mode, where a passphrase protects the vault instead', async () => {
    const api = baseApi(); // transport: http
    render(<SettingsForm saved={{ ...DEFAULT_SETTINGS }} />, { wrapper: withApi(api) });
    await waitFor(() => expect(api.callsTo('app:info')).toHaveLength(1));
    await screen.findByRole('checkbox', { name: /When a type is out of stock/ }); // the form is there
    expect(screen.queryByRole('checkbox', { name: BASIC_TEXT_LABEL })).toBeNull();
    expect(screen.queryByText(/basic_text/)).toBeNull();
  });

  it('cannot be changed in the support role, and says why', async () => {
    render(<SettingsForm saved={{ ...DEFAULT_SETTINGS, role: 'support' }} />, { wrapper: withApi(desktop('support')) });
    const box = (await screen.findByRole('checkbox', { name: BASIC_TEXT_LABEL })) as HTMLInputElement;
    await waitFor(() => expect(box.closest('fieldset')?.disabled).toBe(true));
    expect(box.closest('fieldset')?.querySelector('.guard-reason')?.textContent).toMatch(/support/i);
  });
});
