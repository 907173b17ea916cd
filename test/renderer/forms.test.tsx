// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DestroyDialog } from '../../renderer/src/features/instance/DestroyDialog';
import { ProvisionDialog } from '../../renderer/src/features/provision/ProvisionDialog';
import { baseApi, instance, withApi } from './fake-api';

afterEach(cleanup);

describe('ProvisionDialog', () => {
  it('validates inline with the contract schema and sends nothing while invalid', async () => {
    const api = baseApi().handle('provision:start', () => ({ jobId: 'job_1', instanceId: 'ins_9', groupId: null, jobs: [{ jobId: 'job_1', instanceId: 'ins_9' }] }));
    render(<ProvisionDialog />, { wrapper: withApi(api) });
    // Nothing that changes anything is offered before the role is known (the button is re-created then).
    const provision = await waitFor(() => {
      const button = screen.getByRole('button', { name: 'Provision' }) as HTMLButtonElement;
      expect(button.disabled).toBe(false);
      return button;
    });
    fireEvent.click(provision);
    await screen.findByText('name the agent');
    expect(screen.getByText('choose a server type')).toBeTruthy();
    expect(screen.getByText('choose a region')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'VM name (optional)' }), { target: { value: 'Bad_Name' } });
    expect(await screen.findByText(/use lower-case letters, digits and dashes/)).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'VM name (optional)' }).getAttribute('aria-invalid')).toBe('true');
    expect(api.callsTo('provision:start')).toEqual([]);
  });

  it('shows why a region cannot be chosen, and submits a valid request', async () => {
    const api = baseApi().handle('provision:start', () => ({ jobId: 'job_1', instanceId: 'ins_9', groupId: null, jobs: [{ jobId: 'job_1', instanceId: 'ins_9' }] })).handle('jobs:get', () => ({
      job: { id: 'job_1', kind: 'provision', status: 'running', step: 'mint_key', instanceId: 'ins_9', paymentId: null, error: null, retryOf: null, retriedBy: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), finishedAt: null },
      events: [],
    }));
    render(<ProvisionDialog />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('radio', { name: /^cx22:/ }));
    await screen.findByText('cx22 is out of stock in fsn1 right now.');
    expect((screen.getByRole('radio', { name: /Falkenstein/ }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Nuremberg/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Agent' }), { target: { value: 'build-runner' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision' }));
    await waitFor(() => expect(api.callsTo('provision:start')).toEqual([{ region: 'nbg1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'build-runner' }]));
    await screen.findByText(/Provisioning started/);
  });
});

describe('DestroyDialog', () => {
  it('enables Destroy only when the exact name is typed, then sends it as confirmName', async () => {
    const api = baseApi().handle('instances:destroy', () => ({ jobId: 'job_d' }));
    let started = '';
    render(<DestroyDialog instance={instance()} onClose={() => undefined} onStarted={(id) => (started = id)} />, { wrapper: withApi(api) });
    const input = screen.getByRole('textbox', { name: 'Type vm-one to confirm' });
    const button = screen.getByRole('button', { name: 'Destroy VM' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'vm-on' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'vm-one' } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    await waitFor(() => expect(started).toBe('job_d'));
    expect(api.callsTo('instances:destroy')).toEqual([{ instanceId: 'ins_1', confirmName: 'vm-one' }]);
  });

  it('is a labelled modal dialog that closes on Escape', async () => {
    let closed = false;
    render(<DestroyDialog instance={instance()} onClose={() => (closed = true)} onStarted={() => undefined} />, { wrapper: withApi(baseApi()) });
    const dialog = screen.getByRole('dialog', { name: 'Destroy vm-one?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(closed).toBe(true);
  });
});
