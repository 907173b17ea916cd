// @vitest-environment happy-dom
// Settings → Tokens: a value that fails its check keeps the form open with core's own words, the card
// keeps the stored value's state, a check in progress says so (and cannot be sent twice), and a
// read-only token that switched the role shows in Settings at once.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import type { ProviderTokenStatus, TokenStatus } from '../../shared/tokens';
import { SettingsPage } from '../../renderer/src/features/settings/SettingsPage';
import { TokensSection } from '../../renderer/src/features/settings/TokensSection';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const valid: ProviderTokenStatus = { state: 'valid', checkedAt: '2026-01-01T10:00:00.000Z', message: 'The token is valid and may create and delete servers.', capabilities: { write: true } };
const status = (hetzner: ProviderTokenStatus): TokenStatus => ({ hetzner, tailscale: valid, vault: { format: 'v1:gcm', locked: false, notices: [] } });

/** A promise the test settles when it chooses: the check "takes 30 s" until then. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const hetznerCard = () => screen.getByRole('article', { name: 'Hetzner Cloud API token' });

async function openReplace() {
  const replace = () => within(hetznerCard()).getByRole('button', { name: 'Replace…' }) as HTMLButtonElement;
  await waitFor(() => expect(replace().disabled).toBe(false)); // once the role is known
  fireEvent.click(replace());
  return screen.getByRole('form', { name: 'Set the Hetzner Cloud API token' });
}

describe('a token form during and after its check', () => {
  it('shows Checking… (busy, disabled), sends one check for two clicks, and on refusal stays open with the message and hint', async () => {
    const check = deferred<ProviderTokenStatus>();
    const api = baseApi()
      .handle('tokens:status', () => status(valid))
      .handle('tokens:set', () => check.promise);
    render(<TokensSection />, { wrapper: withApi(api) });
    await screen.findByRole('article', { name: 'Hetzner Cloud API token' });
    const form = await openReplace();
    fireEvent.change(within(form).getByLabelText(/API token/), { target: { value: 'hcloud-new-token-0123456789' } });
    fireEvent.submit(form);
    fireEvent.submit(form); // the second click, before the button could be disabled

    const button = await within(form).findByRole('button', { name: 'Checking…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(form.getAttribute('aria-busy')).toBe('true');
    expect(within(form).getByRole('status').textContent).toMatch(/Checking with Hetzner… this can take up to 30 s/);
    fireEvent.click(button);
    expect(api.callsTo('tokens:set')).toHaveLength(1);

    check.reject(
      new OutpostError('unauthorized', 'Hetzner refused the token (unable to authenticate (unauthorized)). Check that it was copied whole and has not been deleted. Nothing was stored.', {
        hint: 'The token stored before is still in place and still used. Check the token and save it again.',
      }),
    );
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toMatch(/Hetzner refused the token/);
    expect(alert.textContent).toMatch(/The token stored before is still in place/);
    // Still open, ready for another try; the card still reads what is stored.
    expect(screen.getByRole('form', { name: 'Set the Hetzner Cloud API token' })).toBe(form);
    expect((within(form).getByRole('button', { name: 'Save and check' }) as HTMLButtonElement).disabled).toBe(false);
    expect(form.getAttribute('aria-busy')).toBe('false');
    expect(within(hetznerCard()).getByText('valid')).toBeTruthy();
    expect(within(hetznerCard()).queryByText('missing')).toBeNull();
    expect(hetznerCard().textContent).not.toContain('hcloud-new-token-0123456789');
  });

  it('closes once the check accepts the token', async () => {
    const api = baseApi()
      .handle('tokens:status', () => status(valid))
      .handle('tokens:set', () => valid);
    render(<TokensSection />, { wrapper: withApi(api) });
    await screen.findByRole('article', { name: 'Hetzner Cloud API token' });
    const form = await openReplace();
    fireEvent.change(within(form).getByLabelText(/API token/), { target: { value: 'hcloud-new-token-0123456789' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Set the Hetzner Cloud API token' })).toBeNull());
  });

  it('Test says Checking… and sends one check at a time', async () => {
    const check = deferred<ProviderTokenStatus>();
    const api = baseApi()
      .handle('tokens:status', () => status(valid))
      .handle('tokens:test', () => check.promise);
    render(<TokensSection />, { wrapper: withApi(api) });
    const test = (await within(await screen.findByRole('article', { name: 'Hetzner Cloud API token' })).findByRole('button', { name: 'Test' })) as HTMLButtonElement;
    fireEvent.click(test);
    fireEvent.click(test);
    await waitFor(() => expect(hetznerCard().getAttribute('aria-busy')).toBe('true'));
    expect(within(hetznerCard()).getByRole('button', { name: 'Checking…' })).toBe(test);
    expect(test.disabled).toBe(true);
    expect(within(hetznerCard()).getByRole('status').textContent).toMatch(/Checking with Hetzner/);
    expect(api.callsTo('tokens:test')).toHaveLength(1);
    check.resolve(valid);
    await waitFor(() => expect(hetznerCard().getAttribute('aria-busy')).toBe('false'));
  });
});

describe('a read-only token switching the role', () => {
  it('shows the support role in Settings at once', async () => {
    let settings: Settings = { ...DEFAULT_SETTINGS, role: 'operator' };
    const readOnly: ProviderTokenStatus = { state: 'read_only', checkedAt: valid.checkedAt, message: 'read-only', capabilities: { write: false } };
    let hetzner = valid;
    const api = baseApi()
      .handle('app:info', () => appInfo(settings.role))
      .handle('settings:get', () => settings)
      .handle('tokens:status', () => status(hetzner))
      .handle('tokens:set', () => {
        // What core does: store it, and switch this desktop to support.
        hetzner = readOnly;
        settings = { ...settings, role: 'support' };
        return readOnly;
      });
    render(<SettingsPage />, { wrapper: withApi(api) });
    const operator = (await screen.findByRole('radio', { name: /Operator — provisions and destroys/ })) as HTMLInputElement;
    expect(operator.checked).toBe(true);
    const form = await openReplace();
    fireEvent.change(within(form).getByLabelText(/API token/), { target: { value: 'hcloud-read-only-0123456789' } });
    fireEvent.submit(form);
    await waitFor(() => expect((screen.getByRole('radio', { name: /Support — read-only/ }) as HTMLInputElement).checked).toBe(true));
  });
});
