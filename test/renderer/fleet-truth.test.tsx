// @vitest-environment happy-dom
// A fleet that tells the truth: failed, cancelled and destroyed VMs are out of the default view but
// one click away ("Show ended (N)"), a VM whose server is gone says so in its status, and an ended
// VM's drawer offers nothing that acts on a server (no SSH command, no copyable address, no Destroy).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FleetPage } from '../../renderer/src/features/fleet/FleetPage';
import { InstancePanel } from '../../renderer/src/features/instance/InstancePanel';
import { EMPTY_FILTERS, useUi } from '../../renderer/src/stores/ui';
import { baseApi, instance, withApi } from './fake-api';
import { giveLayout } from './layout';

beforeAll(() => giveLayout());
beforeEach(() => useUi.setState({ filters: EMPTY_FILTERS, sort: { key: 'name', dir: 'asc' }, selectedInstanceId: null, dialog: null }));
afterEach(cleanup);

const fleet = [
  instance({ id: 'i1', name: 'vm-running' }),
  instance({ id: 'i2', name: 'vm-failed', status: 'failed', publicIpv4: '203.0.113.9' }),
  instance({ id: 'i3', name: 'vm-destroyed', status: 'destroyed', publicIpv4: '203.0.113.8' }),
  instance({ id: 'i4', name: 'vm-drifted', drift: true }),
];

const names = () =>
  within(screen.getByRole('table', { name: 'Instances' }))
    .queryAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]!.textContent);

describe('the fleet list', () => {
  it('hides ended VMs by default and shows them with one click', async () => {
    render(<FleetPage />, { wrapper: withApi(baseApi().handle('instances:list', () => fleet)) });
    await waitFor(() => expect(names()).toEqual(['vm-drifteddrift', 'vm-running']));
    const toggle = screen.getByRole('button', { name: 'Show ended (2)' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    await waitFor(() => expect(names()).toEqual(['vm-destroyed', 'vm-drifteddrift', 'vm-failed', 'vm-running']));
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    // An ended VM's old address and price are not shown as if the server still had them.
    const failedRow = screen.getAllByRole('row').find((r) => r.textContent?.includes('vm-failed'))!;
    expect(failedRow.textContent).not.toContain('203.0.113.9');
    expect(failedRow.textContent).not.toContain('€');
  });

  it('shows a drifted VM as "server gone", not "running"', async () => {
    render(<FleetPage />, { wrapper: withApi(baseApi().handle('instances:list', () => fleet)) });
    const row = await waitFor(() => screen.getAllByRole('row').find((r) => r.textContent?.includes('vm-drifted'))!);
    const cells = within(row).getAllByRole('cell');
    const status = cells[screen.getAllByRole('columnheader').findIndex((h) => h.textContent?.startsWith('Status'))]!;
    expect(status.textContent).toBe('server gone');
  });
});

describe('the drawer of an ended VM', () => {
  const open = (vm: ReturnType<typeof instance>) => {
    render(<InstancePanel instanceId={vm.id} />, { wrapper: withApi(baseApi().handle('instances:get', () => ({ instance: vm, jobs: [] }))) });
    return screen.findByRole('dialog', { name: vm.name });
  };

  it('offers SSH, copyable addresses and Destroy for a running VM', async () => {
    const drawer = await open(instance({ name: 'vm-live' }));
    await within(drawer).findByRole('button', { name: 'Copy SSH command' });
    expect(within(drawer).getByRole('button', { name: 'Copy public ipv4' })).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Copy tailnet ip' })).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Destroy…' })).toBeTruthy();
  });

  it('offers none of it for a destroyed VM', async () => {
    const drawer = await open(instance({ name: 'vm-dead', status: 'destroyed' }));
    await within(drawer).findByText(/This VM was destroyed/);
    expect(within(drawer).queryByText(/ssh root@/)).toBeNull();
    expect(within(drawer).queryByRole('button', { name: 'Copy SSH command' })).toBeNull();
    expect(within(drawer).queryByRole('button', { name: /Copy (public ipv4|public ipv6|tailnet ip|server id|node id)/ })).toBeNull();
    expect(within(drawer).queryByRole('button', { name: /Destroy/ })).toBeNull();
    expect(within(drawer).getByText('203.0.113.1 (released)')).toBeTruthy();
  });

  it('offers no SSH command or copyable address for a failed provision', async () => {
    const drawer = await open(instance({ name: 'vm-broken', status: 'failed' }));
    await within(drawer).findByText(/did not finish/);
    expect(within(drawer).queryByRole('button', { name: 'Copy SSH command' })).toBeNull();
    expect(within(drawer).queryByRole('button', { name: /Copy (public ipv4|tailnet ip)/ })).toBeNull();
  });
});
