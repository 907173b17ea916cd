// @vitest-environment happy-dom
// The VM link in a Provision (or Record payment: the same JobCard and store) result opens the VM's drawer: the modal is
// closed first, so the drawer is the dialog in front, reachable, not opened behind the modal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { useUi } from '../../renderer/src/stores/ui';
import { baseApi, instance, withApi } from './fake-api';

beforeEach(() => useUi.setState({ page: 'fleet', dialog: null, selectedInstanceId: null }));
afterEach(cleanup);

const at = new Date().toISOString();

describe('the VM link in a Provision result', () => {
  it('closes the modal, then opens the drawer in front', async () => {
    const vm = instance({ id: 'ins_9', name: 'vm-nine', status: 'provisioning' });
    const api = baseApi()
      .handle('provision:start', () => ({ jobId: 'job_1', instanceId: 'ins_9', groupId: null, jobs: [{ jobId: 'job_1', instanceId: 'ins_9' }] }))
      .handle('instances:get', () => ({ instance: vm, jobs: [] }))
      .handle('jobs:get', () => ({
        job: { id: 'job_1', kind: 'provision', status: 'running', step: 'mint_key', instanceId: 'ins_9', paymentId: null, error: null, retryOf: null, retriedBy: null, createdAt: at, updatedAt: at, finishedAt: null },
        events: [],
      }));
    render(<App />, { wrapper: withApi(api) });
    useUi.getState().open('provision');
    const dialog = await screen.findByRole('dialog', { name: 'Provision a VM' });
    fireEvent.click(await screen.findByRole('radio', { name: /^cx22:/ }));
    fireEvent.click(await screen.findByRole('radio', { name: /Nuremberg/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Agent' }), { target: { value: 'build-runner' } });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Provision' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Provision' }));
    await screen.findByText(/Provisioning started/);

    fireEvent.click(await screen.findByRole('button', { name: 'ins_9' }));
    const drawer = await screen.findByRole('dialog', { name: 'vm-nine' });
    expect(dialog.isConnected).toBe(false);
    expect(screen.queryByRole('dialog', { name: 'Provision a VM', hidden: true })).toBeNull();
    expect(drawer.closest('[aria-hidden="true"]')).toBeNull();
  });
});
