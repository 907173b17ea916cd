// @vitest-environment happy-dom
// Bulk destroy from the fleet: checkboxes (select-all of the rows shown, ended rows not selectable,
// Space toggles the focused row), "Destroy N…", one typed confirmation naming the count, then exactly
// one instances:destroy per VM, each confirmed by its own name. Support sees none of it.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FleetPage } from '../../renderer/src/features/fleet/FleetPage';
import { confirmsCount } from '../../renderer/src/features/fleet/BulkDestroy';
import { EMPTY_FILTERS, useUi } from '../../renderer/src/stores/ui';
import { OutpostError } from '../../shared/errors';
import { baseApi, instance, withApi } from './fake-api';
import { giveLayout } from './layout';

beforeAll(() => giveLayout());
beforeEach(() => useUi.setState({ filters: EMPTY_FILTERS, sort: { key: 'name', dir: 'asc' }, selectedInstanceId: null, dialog: null }));
afterEach(cleanup);

const fleet = [
  instance({ id: 'i1', name: 'vm-a' }),
  instance({ id: 'i2', name: 'vm-b' }),
  instance({ id: 'i3', name: 'vm-c' }),
  instance({ id: 'i4', name: 'vm-d' }),
  instance({ id: 'i9', name: 'vm-gone', status: 'destroyed' }),
];

const box = (name: string) => screen.getByRole('checkbox', { name: `Select ${name}` }) as HTMLInputElement;

describe('bulk destroy', () => {
  it('selects rows (checkbox, Space, select-all of the rows shown), confirms the count once and sends exactly N destroys', async () => {
    const api = baseApi()
      .handle('instances:list', () => fleet)
      .handle('instances:destroy', (req) => {
        if (req.instanceId === 'i3') throw new OutpostError('conflict', 'vm-c is already being destroyed.');
        return { jobId: `job_${req.instanceId}` };
      });
    render(<FleetPage />, { wrapper: withApi(api) });
    await screen.findByRole('button', { name: 'vm-a' });
    await waitFor(() => expect(box('vm-a')).toBeTruthy());
    expect(screen.queryByRole('region', { name: 'Selected VMs' })).toBeNull();

    fireEvent.click(box('vm-a'));
    // Space on a focused row toggles it (and does not open it).
    const rowB = screen.getByRole('button', { name: 'vm-b' });
    rowB.focus();
    fireEvent.keyDown(rowB, { key: ' ' });
    expect(box('vm-b').checked).toBe(true);
    expect(useUi.getState().selectedInstanceId).toBeNull();
    const bar = screen.getByRole('region', { name: 'Selected VMs' });
    expect(within(bar).getByRole('status').textContent).toBe('2 VMs selected');

    // Select-all takes every selectable row shown.
    const all = screen.getByRole('checkbox', { name: 'Select all VMs shown' }) as HTMLInputElement;
    fireEvent.click(all);
    // The rows shown are read from the store in windows: "all" is asked of it, then checked.
    await waitFor(() => expect(['vm-a', 'vm-b', 'vm-c', 'vm-d'].map((n) => box(n).checked)).toEqual([true, true, true, true]));
    // An ended row, once shown, cannot be selected.
    fireEvent.click(screen.getByRole('button', { name: 'Show ended (1)' }));
    await waitFor(() => expect(box('vm-gone').disabled).toBe(true));
    expect(box('vm-gone').checked).toBe(false);
    // ...and does not count against "all": every selectable row shown is still selected.
    expect(all.checked).toBe(true);
    expect(within(bar).getByRole('status').textContent).toBe('4 VMs selected');

    fireEvent.click(within(bar).getByRole('button', { name: 'Destroy 4…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Destroy 4 VMs?' });
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['vm-a', 'vm-b', 'vm-c', 'vm-d']);
    const confirm = within(dialog).getByRole('button', { name: 'Destroy 4 VMs' }) as HTMLButtonElement;
    const input = within(dialog).getByRole('textbox', { name: 'Type destroy 4 VMs (or 4) to confirm' });
    for (const wrong of ['destroy 3 VMs', '3', 'destroy']) {
      fireEvent.change(input, { target: { value: wrong } });
      expect(confirm.disabled, wrong).toBe(true);
    }
    fireEvent.change(input, { target: { value: 'Destroy 4 VMs' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);

    const done = await screen.findByRole('dialog', { name: 'Destroying 3 of 4 VMs' });
    expect(api.callsTo('instances:destroy')).toEqual([
      { instanceId: 'i1', confirmName: 'vm-a' },
      { instanceId: 'i2', confirmName: 'vm-b' },
      { instanceId: 'i3', confirmName: 'vm-c' },
      { instanceId: 'i4', confirmName: 'vm-d' },
    ]);
    expect(within(screen.getByRole('list', { name: 'Refused' })).getByRole('listitem').textContent).toBe('vm-c: vm-c is already being destroyed.');
    // The selection is spent.
    fireEvent.click(within(done).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(box('vm-a').checked).toBe(false));
  });

  it('accepts the phrase or the bare count, nothing else', () => {
    expect([confirmsCount('destroy 3 VMs', 3), confirmsCount('  DESTROY   3 vms ', 3), confirmsCount('3', 3)]).toEqual([true, true, true]);
    expect([confirmsCount('destroy 2 VMs', 3), confirmsCount('30', 3), confirmsCount('destroy 1 VMs', 1), confirmsCount('', 0)]).toEqual([false, false, false, false]);
  });

  it('offers the support role no selection and no bulk action', async () => {
    render(<FleetPage />, { wrapper: withApi(baseApi('support').handle('instances:list', () => fleet)) });
    await screen.findByRole('button', { name: 'vm-a' });
    // The role is known once the page has settled; still no checkbox.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Provision VM' })).toBeTruthy());
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Selected VMs' })).toBeNull();
    fireEvent.keyDown(screen.getByRole('button', { name: 'vm-a' }), { key: ' ' });
    expect(screen.queryByRole('region', { name: 'Selected VMs' })).toBeNull();
  });
});
