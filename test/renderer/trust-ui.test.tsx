// @vitest-environment happy-dom
// The panel's side of the trust rules: a job is retried once (Retry is gone after, the card links both
// ways and follows the new job), Cancel asks first and reads "Cancelled", a role switch asks first,
// and the audit log shows names and what changed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DEFAULT_SETTINGS, type AuditEntry, type Job, type JobDetail } from '../../shared/domain';
import { AuditPage } from '../../renderer/src/features/audit/AuditPage';
import { JobCard } from '../../renderer/src/features/jobs/JobCard';
import { SettingsForm } from '../../renderer/src/features/settings/SettingsForm';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

const at = new Date().toISOString();
const job = (id: string, over: Partial<Job> = {}): Job => ({
  id,
  kind: 'provision',
  status: 'failed',
  step: 'wait_running',
  instanceId: `ins_${id}`,
  paymentId: null,
  error: { step: 'wait_running', code: 'cloud_error', message: 'start_server failed' },
  retryOf: null,
  retriedBy: null,
  createdAt: at,
  updatedAt: at,
  finishedAt: at,
  ...over,
});
const detail = (j: Job): JobDetail => ({ job: j, events: [] });

/** The button once the role is known and it is enabled (it is re-created when its guard lifts). */
const enabled = (name: string) =>
  waitFor(() => {
    const button = screen.getByRole('button', { name }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    return button;
  });

describe('Retry', () => {
  it('retries once, then follows the new job and links back to the failed one', async () => {
    const jobs = new Map<string, Job>([['job_a', job('job_a')]]);
    const api = baseApi()
      .handle('jobs:get', ({ jobId }) => detail(jobs.get(jobId)!))
      .handle('jobs:retry', ({ jobId }) => {
        jobs.set(jobId, { ...jobs.get(jobId)!, retriedBy: 'job_b' });
        jobs.set('job_b', job('job_b', { status: 'running', error: null, finishedAt: null, retryOf: jobId }));
        return { jobId: 'job_b', instanceId: 'ins_job_b' };
      });
    render(<JobCard jobId="job_a" />, { wrapper: withApi(api) });
    fireEvent.click(await enabled('Retry'));
    await screen.findByText('retry of', { exact: false });
    expect(screen.getByRole('button', { name: 'job_a' })).toBeTruthy();
    expect(api.callsTo('jobs:retry')).toEqual([{ jobId: 'job_a' }]);
    // Back on the failed job: it names its retry and offers no second Retry.
    fireEvent.click(screen.getByRole('button', { name: 'job_a' }));
    await screen.findByText(/Retried by/);
    expect(screen.getByRole('button', { name: 'job_b' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('offers Retry for a cancelled provision, which reads Cancelled, not Failed', async () => {
    const cancelled = job('job_c', { status: 'cancelled', error: { step: 'create_server', code: 'cancelled', message: 'Cancelled by the operator.' } });
    render(<JobCard jobId="job_c" />, { wrapper: withApi(baseApi().handle('jobs:get', () => detail(cancelled))) });
    await screen.findByText(/Cancelled during/);
    expect(screen.queryByText(/Failed at/)).toBeNull();
    expect(await enabled('Retry')).toBeTruthy();
  });
});

describe('Cancel', () => {
  it('asks for confirmation before cancelling, and Keep running cancels nothing', async () => {
    const running = job('job_r', { status: 'running', error: null, finishedAt: null, step: 'create_server' });
    const api = baseApi()
      .handle('jobs:get', () => detail(running))
      .handle('provision:cancel', () => ({ ...running, status: 'compensating' }));
    render(<JobCard jobId="job_r" />, { wrapper: withApi(api) });
    fireEvent.click(await enabled('Cancel'));
    await screen.findByRole('alertdialog');
    expect(api.callsTo('provision:cancel')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Keep running' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.callsTo('provision:cancel')).toEqual([]);
    fireEvent.click(await enabled('Cancel'));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel provision' }));
    await waitFor(() => expect(api.callsTo('provision:cancel')).toEqual([{ jobId: 'job_r' }]));
  });
});

describe('Settings in the support role', () => {
  it('locks every setting but name and role, and switches role only after a confirmation', async () => {
    const saved = { ...DEFAULT_SETTINGS, role: 'support' as const };
    const api = baseApi('support').handle('settings:update', (patch) => ({ ...saved, ...patch }));
    render(<SettingsForm saved={saved} />, { wrapper: withApi(api) });
    await screen.findByText(/may change only operatorName and role/);
    expect((screen.getByRole('group', { name: 'New VMs' }) as HTMLFieldSetElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Operator/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByRole('alertdialog', { name: /Switch your role to operator/ });
    expect(api.callsTo('settings:update')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Switch to operator' }));
    await waitFor(() => expect(api.callsTo('settings:update')).toEqual([{ role: 'operator' }]));
  });
});

describe('the audit log', () => {
  it('shows targets by name and settings changes as old → new', async () => {
    const entries: AuditEntry[] = [
      { id: 2, at, actor: 'Ada', role: 'operator', action: 'instances:destroy', target: 'ins_1', targetName: 'vm-one', outcome: 'ok', detail: { transport: 'ipc' } },
      {
        id: 1,
        at,
        actor: 'Ada',
        role: 'operator',
        action: 'settings:update',
        target: 'settings',
        targetName: 'locationFallback',
        outcome: 'ok',
        detail: { transport: 'ipc', changes: [{ field: 'locationFallback', from: true, to: false }] },
      },
    ];
    render(<AuditPage />, { wrapper: withApi(baseApi().handle('audit:list', () => entries)) });
    await screen.findByText('vm-one');
    expect(screen.getByText('locationFallback: true → false')).toBeTruthy();
  });
});
