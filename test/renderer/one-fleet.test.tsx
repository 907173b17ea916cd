// @vitest-environment happy-dom
// One fleet, many desktops in the panel: an adopted VM says where it came from (badge in the fleet,
// "Adopted from store …, at …" in the drawer, no job history section); unowned servers are listed from
// the fleet sync bar with Adopt and Delete — Delete only after the server's name is typed, both
// disabled for the support role.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { UnownedServer } from '../../shared/domain';
import { FleetSyncBar } from '../../renderer/src/features/fleet/FleetSyncBar';
import { OriginBadge } from '../../renderer/src/features/fleet/OriginBadge';
import { InstancePanel } from '../../renderer/src/features/instance/InstancePanel';
import { baseApi, instance, withApi } from './fake-api';

afterEach(cleanup);

const adopted = instance({ id: 'ins_ad', name: 'vm-adopted', origin: 'adopted', originStore: 'feedfacecafe0001', adoptedAt: '2026-08-20T10:05:00.000Z', paymentReference: 'INV-7' });

const lost: UnownedServer = {
  serverId: 4711,
  name: 'lost-one',
  status: 'running',
  created: '2026-08-20T08:00:00.000Z',
  region: 'fsn1',
  serverType: 'cx22',
  publicIpv4: '203.0.113.7',
  jobId: 'job_gone',
  agentName: 'lost bot',
  paymentReference: null,
  originStore: 'deadbeef00000000',
};

describe('adopted VMs', () => {
  it('carry an "adopted" badge naming the store and the time; local ones none', () => {
    render(<OriginBadge instance={adopted} />, { wrapper: withApi(baseApi()) });
    const badge = screen.getByText('adopted');
    expect(badge.getAttribute('title')).toMatch(/^Adopted from store feedfacecafe0001, at /);
    cleanup();
    const { container } = render(<OriginBadge instance={instance()} />, { wrapper: withApi(baseApi()) });
    expect(container.textContent).toBe('');
  });

  it('show their origin in the drawer instead of a job history', async () => {
    const api = baseApi().handle('instances:get', () => ({ instance: adopted, jobs: [] }));
    render(<InstancePanel instanceId="ins_ad" />, { wrapper: withApi(api) });
    const origin = await screen.findByRole('region', { name: 'Origin' });
    expect(origin.textContent).toMatch(/Adopted from store feedfacecafe0001, at /);
    expect(origin.textContent).toContain('payment INV-7');
    expect(screen.queryByRole('region', { name: 'Jobs of this instance' })).toBeNull();
  });

  it('a local VM keeps its jobs section', async () => {
    const api = baseApi().handle('instances:get', () => ({ instance: instance(), jobs: [] }));
    render(<InstancePanel instanceId="ins_1" />, { wrapper: withApi(api) });
    await screen.findByRole('region', { name: 'Jobs of this instance' });
    expect(screen.queryByRole('region', { name: 'Origin' })).toBeNull();
  });
});

describe('unowned servers', () => {
  it('are counted on the sync bar and listed with Adopt and a typed-confirmation Delete', async () => {
    let remaining = [lost];
    const api = baseApi()
      .handle('unowned:list', () => remaining)
      .handle('unowned:adopt', () => ((remaining = []), adopted))
      .handle('unowned:delete', () => ((remaining = []), { jobId: 'job_del', instanceId: 'ins_del' }));
    render(<FleetSyncBar driftCount={0} />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: '1 unowned' }));
    const panel = screen.getByRole('dialog', { name: 'Unowned servers' });
    const row = within(panel).getByRole('row', { name: /lost-one/ });
    expect(row.textContent).toContain('lost bot');
    expect(row.textContent).toContain('deadbeef00000000');

    // Enabled once app:info has said the role (the button is rendered anew then: query it again).
    const del = () => within(screen.getByRole('row', { name: /lost-one/ })).getByRole('button', { name: 'Delete…' }) as HTMLButtonElement;
    await waitFor(() => expect(del().disabled).toBe(false));
    fireEvent.click(del());
    const confirm = screen.getByRole('dialog', { name: 'Delete server lost-one?' });
    const submit = within(confirm).getByRole('button', { name: 'Delete server' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(confirm).getByRole('textbox'), { target: { value: 'lost-on' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(confirm).getByRole('textbox'), { target: { value: 'lost-one' } });
    expect(submit.disabled).toBe(false);
    expect(api.callsTo('unowned:delete')).toEqual([]);
    fireEvent.click(submit);
    await waitFor(() => expect(api.callsTo('unowned:delete')).toEqual([{ serverId: 4711, confirmName: 'lost-one' }]));
    // The list is read again: nothing unowned is left, so the bar stops offering it.
    await waitFor(() => expect(screen.queryByRole('button', { name: /unowned/ })).toBeNull());
  });

  it('Adopt sends the server id', async () => {
    const api = baseApi().handle('unowned:list', () => [lost]).handle('unowned:adopt', () => adopted);
    render(<FleetSyncBar driftCount={0} />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: '1 unowned' }));
    const adopt = () => within(screen.getByRole('dialog', { name: 'Unowned servers' })).getByRole('button', { name: 'Adopt' }) as HTMLButtonElement;
    await waitFor(() => expect(adopt().disabled).toBe(false));
    fireEvent.click(adopt());
    await waitFor(() => expect(api.callsTo('unowned:adopt')).toEqual([{ serverId: 4711 }]));
  });

  it('Adopt and Delete are disabled for the support role, with the reason', async () => {
    const api = baseApi('support').handle('unowned:list', () => [lost]);
    render(<FleetSyncBar driftCount={0} />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('button', { name: '1 unowned' }));
    const panel = screen.getByRole('dialog', { name: 'Unowned servers' });
    await waitFor(() => expect(panel.textContent).toMatch(/Read-only: the support role cannot change anything \(unowned:adopt is for operators\)/));
    expect(panel.textContent).toMatch(/\(unowned:delete is for operators\)/);
    expect((within(panel).getByRole('button', { name: 'Adopt' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(panel).getByRole('button', { name: 'Delete…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
