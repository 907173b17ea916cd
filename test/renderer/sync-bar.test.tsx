// @vitest-environment happy-dom
// The fleet sync bar (FleetSyncBar.tsx, sync-state.ts) says one thing at a time: syncing, synced, or
// failed. A failure after a good sync must not sit next to "Synced …", and a new sync after a
// failure shows "Syncing…" without the old error.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { FleetSyncSummary } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import { FleetSyncBar } from '../../renderer/src/features/fleet/FleetSyncBar';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

// Only the fields the bar reads; the rest of the summary belongs to other features.
const summary = { at: new Date().toISOString(), updated: 0, drifted: [], orphans: [], unowned: [], adopted: [], destroyed: [], pending: 0, devices: 'ok' } as unknown as FleetSyncSummary;

describe('FleetSyncBar', () => {
  it('never says "Synced" and "failed" at once, nor shows an old error while syncing again', async () => {
    let next: 'ok' | 'fail' | 'hold' = 'ok';
    let release: () => void = () => undefined;
    const api = baseApi().handle('fleet:sync', () => {
      if (next === 'fail') throw new OutpostError('cloud_error', 'Hetzner answered 503.');
      if (next === 'hold') return new Promise((resolve) => (release = () => resolve(summary)));
      return summary;
    });
    render(<FleetSyncBar driftCount={0} />, { wrapper: withApi(api) });
    const bar = screen.getByRole('group', { name: 'Fleet sync' });
    const status = () => within(bar).getByRole('status').textContent ?? '';
    const syncNow = () => fireEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    expect(status()).toMatch(/run a fleet sync/);

    syncNow();
    await waitFor(() => expect(status()).toMatch(/^Synced /));
    expect(within(bar).queryByRole('alert')).toBeNull();

    next = 'fail';
    syncNow();
    await waitFor(() => expect(within(bar).queryByRole('alert')).not.toBeNull());
    expect(status()).toMatch(/^Sync failed · last good sync /);
    expect(status()).not.toMatch(/^Synced/);

    next = 'hold';
    syncNow();
    await waitFor(() => expect(status()).toBe('Syncing with Hetzner and Tailscale…'));
    expect(within(bar).queryByRole('alert')).toBeNull();
    release();
    await waitFor(() => expect(status()).toMatch(/^Synced /));
    expect(within(bar).queryByRole('alert')).toBeNull();
  });

  it('counts drift from the rows it is given, once, even when the last sync counted otherwise', async () => {
    const api = baseApi().handle('fleet:sync', () => ({ ...summary, drifted: ['ins_1'] }));
    render(<FleetSyncBar driftCount={3} />, { wrapper: withApi(api) });
    const bar = screen.getByRole('group', { name: 'Fleet sync' });
    fireEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(within(bar).getByRole('status').textContent).toMatch(/^Synced /));
    expect(within(bar).getAllByText(/drifted/)).toHaveLength(1);
    expect(within(bar).getByText('3 drifted')).toBeTruthy();
  });
});
