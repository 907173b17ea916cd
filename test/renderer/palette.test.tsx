// @vitest-environment happy-dom
// The command palette (features/palette): Ctrl/⌘+K opens it (from a field too, never over another
// dialog); it finds VMs by part of an address and accented names in any case, payments by reference,
// jobs by id; Enter opens the thing or runs the action; an action the role may not run is shown
// disabled with the reason and Enter does nothing; Escape closes it and gives the focus back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Job, Payment } from '../../shared/domain';
import { App } from '../../renderer/src/App';
import { THEME_STORAGE_KEY, useTheme } from '../../renderer/src/stores/theme';
import { useUi } from '../../renderer/src/stores/ui';
import { baseApi, instance, withApi, type FakeApi } from './fake-api';

beforeEach(() => {
  useUi.setState({ page: 'fleet', dialog: null, selectedInstanceId: null });
  useTheme.setState({ theme: 'system' });
});
afterEach(cleanup);

const at = new Date().toISOString();
const vmA = instance({ id: 'ins_a', name: 'build-a', publicIpv4: '10.0.3.7', tailnetIp: '100.64.0.7', agentName: 'Zoë Ångström' });
const vmB = instance({ id: 'ins_b', name: 'build-b', publicIpv4: '10.1.0.3', tailnetIp: '100.64.0.8', agentName: 'runner' });
const payment = (id: string, reference: string, customer: string): Payment => ({
  id, reference, customer, contact: null, amountCents: 1000, currency: 'EUR', plan: 'cx22', region: 'fsn1', note: null, status: 'fulfilled',
  jobId: null, instanceId: null, recordedAt: at, enrolledAt: null, timeToEnrolledMs: null, withinTarget: null,
});
const job = (id: string, instanceId: string): Job => ({ id, kind: 'provision', status: 'failed', step: 'create_server', instanceId, paymentId: null, error: null, retryOf: null, retriedBy: null, createdAt: at, updatedAt: at, finishedAt: at });

function api(role: 'operator' | 'support' = 'operator'): FakeApi {
  return baseApi(role)
    .handle('instances:list', () => [vmA, vmB])
    .handle('instances:get', ({ instanceId }) => ({ instance: instanceId === vmA.id ? vmA : vmB, jobs: [] }))
    .handle('payments:list', () => [payment('pay_1', 'INV-2024-0042', 'Élodie Durand'), payment('pay_2', 'INV-2024-0107', 'Bob')])
    .handle('jobs:list', () => [job('job_x1', vmB.id)])
    .handle('jobs:get', ({ jobId }) => ({ job: job(jobId, vmB.id), events: [] }))
    .handle('fleet:sync', () => ({ at, updated: 0, adopted: [], destroyed: [], drifted: [], unowned: [], pending: 0, devices: 'ok' }));
}

const ctrlK = (target: Element = document.body) => fireEvent.keyDown(target, { key: 'k', ctrlKey: true });

async function openPalette(from?: Element): Promise<HTMLElement> {
  ctrlK(from);
  const dialog = await screen.findByRole('dialog', { name: 'Command palette' });
  const input = within(dialog).getByRole('combobox', { name: 'Find or run' });
  await waitFor(() => expect(document.activeElement).toBe(input));
  return input;
}

const type = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });
const enter = (input: HTMLElement) => fireEvent.keyDown(input, { key: 'Enter' });
const options = () => screen.getAllByRole('option').map((o) => o.textContent ?? '');

describe('command palette', () => {
  it('opens with Ctrl+K from the page and from a text field, not over another dialog', async () => {
    render(<App />, { wrapper: withApi(api()) });
    await openPalette();
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull());

    // Ctrl+K types nothing, so a field does not keep it: the fleet search opens it too.
    const search = await screen.findByRole('searchbox');
    search.focus();
    await openPalette(search);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull());

    useUi.getState().open('provision');
    await screen.findByRole('dialog', { name: 'Provision a VM' });
    ctrlK();
    expect(useUi.getState().dialog).toBe('provision');
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
  });

  it('finds a VM by part of its IP and opens its drawer', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const input = await openPalette();
    type(input, '10.0.3');
    await waitFor(() => expect(options().some((o) => o.includes('build-a'))).toBe(true));
    // As typed, not scattered digits: 10.1.0.3 holds 1, 0, 3 in order but not "10.0.3".
    expect(options().some((o) => o.includes('build-b'))).toBe(false);
    enter(input);
    await screen.findByRole('dialog', { name: 'build-a' });
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
  });

  it('finds accented names in any case and without accents; arrows move, Enter opens', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const input = await openPalette();
    for (const q of ['zoë ångström', 'ZOË', 'angstrom', 'élodie', 'ELODIE']) {
      type(input, q);
      await waitFor(() => expect(options().length).toBeGreaterThan(0));
    }
    type(input, 'angstrom');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('build-a')]));
    type(input, 'build');
    await waitFor(() => expect(options().filter((o) => o.startsWith('build')).length).toBe(2));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    enter(input);
    await screen.findByRole('dialog', { name: 'build-b' });
  });

  it('finds a payment by reference and opens the Payments page on it', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const input = await openPalette();
    type(input, '0042');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('INV-2024-0042')]));
    enter(input);
    await waitFor(() => expect(useUi.getState().page).toBe('payments'));
    await waitFor(() => expect(document.activeElement?.id).toBe('payment-pay_1'));
    expect((document.activeElement as HTMLElement).dataset.revealed).toBe('true');
    expect(document.activeElement?.textContent).toContain('Élodie Durand');
  });

  it('finds a job by id and opens the Jobs page on its card', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const input = await openPalette();
    type(input, 'job_x1');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('Provision of build-b')]));
    enter(input);
    await waitFor(() => expect(useUi.getState().page).toBe('jobs'));
    await waitFor(() => expect(document.activeElement?.id).toBe('job-job_x1'));
  });

  it('runs Sync fleet now once', async () => {
    const fake = api();
    render(<App />, { wrapper: withApi(fake) });
    const input = await openPalette();
    type(input, 'sync');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('Sync fleet now')]));
    enter(input);
    await screen.findByText('Fleet synced');
    expect(fake.callsTo('fleet:sync')).toHaveLength(1);
  });

  it('switches the theme, kept for the next start', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const input = await openPalette();
    type(input, 'theme dark');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('Theme: Dark')]));
    enter(input);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toContain('"dark"');
    const again = await openPalette();
    type(again, 'system theme');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('Use the system theme')]));
    enter(again);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
  });

  it('shows Provision disabled with the reason to the support role, and Enter does nothing', async () => {
    // No jobs: "provision" then matches the action alone, so Enter has nothing else to open.
    const fake = api('support').handle('jobs:list', () => []);
    render(<App />, { wrapper: withApi(fake) });
    const input = await openPalette();
    type(input, 'provision');
    await waitFor(() => expect(options()).toEqual([expect.stringContaining('Provision…')]));
    const option = await screen.findByRole('option', { name: /Provision…/ });
    await waitFor(() => expect(option.textContent).toMatch(/operator/i));
    expect(option.getAttribute('aria-disabled')).toBe('true');
    enter(input);
    fireEvent.click(option);
    expect(useUi.getState().dialog).toBe('palette');
    expect(screen.queryByRole('dialog', { name: 'Provision a VM' })).toBeNull();
    expect(fake.callsTo('provision:start')).toHaveLength(0);
  });

  it('Escape closes it and gives the focus back to what had it', async () => {
    render(<App />, { wrapper: withApi(api()) });
    const button = await screen.findByRole('button', { name: /Find or run/ });
    expect(button.getAttribute('aria-keyshortcuts')).toContain('Control+K');
    button.focus();
    fireEvent.click(button);
    const input = await screen.findByRole('combobox', { name: 'Find or run' });
    await waitFor(() => expect(document.activeElement).toBe(input));
    fireEvent.keyDown(input, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(button));
  });
});
