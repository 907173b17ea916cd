// @vitest-environment happy-dom
// Provision with a quantity: the Quantity field's validation, the batch shown as one group card with
// its own progress, and the Jobs page listing a batch once.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Job } from '../../shared/domain';
import { GroupCard } from '../../renderer/src/features/jobs/GroupCard';
import { JobsPage } from '../../renderer/src/features/jobs/JobsPage';
import { ProvisionDialog } from '../../renderer/src/features/provision/ProvisionDialog';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

const at = new Date().toISOString();
const job = (id: string, status: Job['status'], groupId: string | null = 'grp_1'): Job => ({
  id,
  kind: 'provision',
  status,
  step: status === 'running' ? 'create_server' : null,
  instanceId: `ins_${id}`,
  paymentId: null,
  error: status === 'failed' ? { step: 'create_server', code: 'unavailable', message: 'no capacity' } : null,
  retryOf: null,
  retriedBy: null,
  groupId,
  createdAt: at,
  updatedAt: at,
  finishedAt: status === 'running' ? null : at,
});

async function fillPlan() {
  fireEvent.click(await screen.findByRole('radio', { name: /^cx22:/ }));
  fireEvent.click(await screen.findByRole('radio', { name: /Nuremberg/ }));
  fireEvent.change(screen.getByRole('textbox', { name: 'Agent' }), { target: { value: 'build-runner' } });
}

describe('Provision quantity', () => {
  it('refuses a quantity outside 1–50 (or not whole, or with a chosen name) with a message naming it, and sends nothing', async () => {
    const api = baseApi().handle('provision:start', () => ({ jobId: 'j1', instanceId: 'i1', groupId: null, jobs: [{ jobId: 'j1', instanceId: 'i1' }] }));
    render(<ProvisionDialog />, { wrapper: withApi(api) });
    await fillPlan();
    const quantity = screen.getByRole('spinbutton', { name: 'Quantity' });
    for (const bad of ['51', '0', '2.5', '']) {
      fireEvent.change(quantity, { target: { value: bad } });
      fireEvent.blur(quantity);
      expect(await screen.findByText('enter a quantity from 1 to 50 (whole VMs)'), bad).toBeTruthy();
      expect(quantity.getAttribute('aria-invalid'), bad).toBe('true');
    }
    fireEvent.change(quantity, { target: { value: '3' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'VM name (optional)' }), { target: { value: 'one-name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision 3 VMs' }));
    expect(await screen.findByText(/leave the VM name empty for more than one VM/)).toBeTruthy();
    expect(api.callsTo('provision:start')).toEqual([]);
  });

  it('sends the quantity and shows the batch as one group with its progress', async () => {
    let jobs: Job[] = [];
    const api = baseApi()
      .handle('provision:start', () => {
        jobs = [job('c', 'running'), job('b', 'running'), job('a', 'running')];
        return { jobId: 'a', instanceId: 'ins_a', groupId: 'grp_1', jobs: ['a', 'b', 'c'].map((id) => ({ jobId: id, instanceId: `ins_${id}` })) };
      })
      .handle('jobs:list', () => jobs);
    render(<ProvisionDialog />, { wrapper: withApi(api) });
    await fillPlan();
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Quantity' }), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision 3 VMs' }));
    await waitFor(() => expect(api.callsTo('provision:start')).toEqual([{ region: 'nbg1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'build-runner', quantity: 3 }]));
    expect(await screen.findByText(/Provisioning 3 VMs started as one group/)).toBeTruthy();
    const card = await screen.findByRole('article', { name: /^Provision 3 VMs: 0 of 3 done · 3 running$/ });
    expect(within(card).getByText('grp_1')).toBeTruthy();
  });
});

describe('GroupCard', () => {
  it('counts done, failed and running, and expands each job to its card', async () => {
    const api = baseApi().handle('jobs:get', ({ jobId }) => ({ job: job(jobId, 'failed'), events: [] }));
    const jobs = [job('a', 'succeeded'), job('b', 'failed'), job('c', 'running'), job('d', 'cancelled')];
    render(<GroupCard groupId="grp_1" jobs={jobs} />, { wrapper: withApi(api) });
    const status = '1 of 4 done · 2 failed · 1 running';
    expect(screen.getByRole('status').textContent).toBe(status);
    // Ended jobs (succeeded, failed, cancelled) fill the bar: 3 of 4.
    expect(screen.getByRole('progressbar', { name: `Provision 4 VMs: ${status}` }).getAttribute('aria-valuenow')).toBe('75');
    const row = screen.getByRole('button', { name: /ins_b/ });
    expect(row.getAttribute('aria-expanded')).toBe('false');
    expect(api.callsTo('jobs:get')).toEqual([]);
    fireEvent.click(row);
    expect(row.getAttribute('aria-expanded')).toBe('true');
    await screen.findByRole('article', { name: 'Provision ins_b' });
    expect(api.callsTo('jobs:get')).toEqual([{ jobId: 'b' }]);
  });
});

describe('Jobs page', () => {
  it('lists a batch once, as a group card, beside a lone job', async () => {
    const lone = job('z', 'running', null);
    const api = baseApi()
      .handle('jobs:list', () => [lone, job('c', 'succeeded'), job('b', 'running'), job('a', 'succeeded')])
      .handle('jobs:get', ({ jobId }) => ({ job: jobId === 'z' ? lone : job(jobId, 'running'), events: [] }));
    render(<JobsPage />, { wrapper: withApi(api) });
    const running = await screen.findByRole('region', { name: 'Running jobs' });
    await within(running).findByRole('article', { name: 'Provision 3 VMs: 2 of 3 done · 1 running' });
    await within(running).findByRole('article', { name: 'Provision ins_z' });
    expect(within(running).getAllByRole('article', { name: /^Provision/ })).toHaveLength(2);
    expect(screen.queryByRole('region', { name: 'Recent jobs' })).toBeNull();
  });
});
