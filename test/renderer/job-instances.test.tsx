// @vitest-environment happy-dom
// The Jobs page and a batch's result name the VMs of the jobs they show by asking the store for those
// instances only (instances:page by ids, ended ones included), never for the whole fleet (instances:list).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Req } from '../../shared/contract';
import type { Job } from '../../shared/domain';
import { JobsPage } from '../../renderer/src/features/jobs/JobsPage';
import { ProvisionDialog } from '../../renderer/src/features/provision/ProvisionDialog';
import { useLiveUpdates } from '../../renderer/src/queries/live-updates';
import { baseApi, instance, withApi, type FakeApi } from './fake-api';

afterEach(cleanup);

const at = new Date().toISOString();
const job = (id: string, over: Partial<Job> = {}): Job => ({
  id,
  kind: 'provision',
  status: 'succeeded',
  step: null,
  instanceId: `ins_${id}`,
  paymentId: null,
  error: null,
  retryOf: null,
  retriedBy: null,
  groupId: null,
  createdAt: at,
  updatedAt: at,
  finishedAt: at,
  ...over,
});

/** Instances of the jobs below, one of them destroyed, and many the jobs never touched. */
const FLEET = [
  instance({ id: 'ins_a', name: 'vm-alpha' }),
  instance({ id: 'ins_b', name: 'vm-bravo', status: 'destroyed' }),
  instance({ id: 'ins_g1', name: 'vm-golf-1' }),
  instance({ id: 'ins_g2', name: 'vm-golf-2' }),
  ...Array.from({ length: 30 }, (_, n) => instance({ id: `ins_other_${n}`, name: `vm-other-${n}` })),
];

/** The ids every instances:page call asked for; fails when one asked without ids (a fleet window). */
function askedIds(api: FakeApi): string[] {
  const requests = api.callsTo('instances:page') as Req<'instances:page'>[];
  for (const r of requests) expect(r.ids, JSON.stringify(r)).toBeDefined();
  return [...new Set(requests.flatMap((r) => r.ids ?? []))].sort();
}

describe('Jobs page names the VMs of its jobs', () => {
  it('reads only the instances of the jobs shown, destroyed ones included, never the whole fleet', async () => {
    const jobs = [
      job('g2', { groupId: 'grp_1' }),
      job('g1', { groupId: 'grp_1' }),
      job('a', { status: 'running', step: 'create_server', finishedAt: null }),
      job('b', { kind: 'destroy' }),
      // A job that never got an instance asks for nothing.
      job('x', { instanceId: null, status: 'failed', error: { step: 'reserve', code: 'unavailable', message: 'no capacity' } }),
      // Two jobs of one instance: its id is asked for once.
      job('a2', { kind: 'destroy', instanceId: 'ins_a', status: 'cancelled' }),
    ];
    const byJob = new Map(jobs.map((j) => [j.id, j]));
    const api = baseApi()
      .handle('instances:list', () => FLEET)
      .handle('jobs:list', () => jobs)
      .handle('jobs:get', ({ jobId }) => ({ job: byJob.get(jobId)!, events: [] }));
    render(<JobsPage />, { wrapper: withApi(api) });

    expect(await screen.findByRole('article', { name: 'Provision vm-alpha' })).toBeTruthy();
    expect(await screen.findByRole('article', { name: 'Destroy vm-bravo' })).toBeTruthy();
    expect(await screen.findByRole('article', { name: 'Destroy vm-alpha' })).toBeTruthy();
    const group = await screen.findByRole('list', { name: 'Jobs of Provision 2 VMs' });
    expect(await within(group).findByRole('button', { name: /vm-golf-1/ })).toBeTruthy();
    expect(within(group).getByRole('button', { name: /vm-golf-2/ })).toBeTruthy();

    expect(api.callsTo('instances:list')).toEqual([]);
    expect(askedIds(api)).toEqual(['ins_a', 'ins_b', 'ins_g1', 'ins_g2']);
  });
});

/** The Jobs page with the app's event handling, as App mounts it. */
function LiveJobsPage() {
  useLiveUpdates();
  return <JobsPage />;
}

describe('Jobs page follows its VMs live', () => {
  it('renames a job\'s VM when its instance changes, still asking for that VM alone', async () => {
    const jobs = [job('a', { status: 'running', step: 'create_server', finishedAt: null })];
    let fleet = FLEET;
    const api = baseApi()
      .handle('instances:list', () => fleet)
      .handle('jobs:list', () => jobs)
      .handle('jobs:get', ({ jobId }) => ({ job: jobs.find((j) => j.id === jobId)!, events: [] }));
    render(<LiveJobsPage />, { wrapper: withApi(api) });
    await screen.findByRole('article', { name: 'Provision vm-alpha' });

    // The store changes, then says so: the event patches the cached answer and may have it read again.
    const renamed = { ...FLEET[0]!, name: 'vm-alpha-renamed' };
    fleet = [renamed, ...FLEET.slice(1)];
    api.emit('instance:changed', { instance: renamed });
    expect(await screen.findByRole('article', { name: 'Provision vm-alpha-renamed' })).toBeTruthy();
    expect(api.callsTo('instances:list')).toEqual([]);
    expect(askedIds(api)).toEqual(['ins_a']);
  });

  it('names the VM of a job that appears later, asking for its id then', async () => {
    let jobs = [job('a', { status: 'running', step: 'create_server', finishedAt: null })];
    const api = baseApi()
      .handle('instances:list', () => FLEET)
      .handle('jobs:list', () => jobs)
      .handle('jobs:get', ({ jobId }) => ({ job: jobs.find((j) => j.id === jobId)!, events: [] }));
    render(<LiveJobsPage />, { wrapper: withApi(api) });
    await screen.findByRole('article', { name: 'Provision vm-alpha' });

    // A job the cached list lacks has the list read again; its VM's id is then asked for.
    const later = job('b', { kind: 'destroy', createdAt: new Date(Date.now() + 1000).toISOString() });
    jobs = [later, ...jobs];
    api.emit('job:progress', { jobId: later.id, seq: 1, job: later, event: null });
    expect(await screen.findByRole('article', { name: 'Destroy vm-bravo' })).toBeTruthy();
    expect(screen.getByRole('article', { name: 'Provision vm-alpha' })).toBeTruthy();
    expect(api.callsTo('instances:list')).toEqual([]);
    expect(askedIds(api)).toEqual(['ins_a', 'ins_b']);
  });
});

describe('Provision batch result names its VMs', () => {
  it('reads only the instances of the batch, never the whole fleet', async () => {
    let jobs: Job[] = [];
    const api = baseApi()
      .handle('instances:list', () => FLEET)
      .handle('provision:start', () => {
        jobs = [job('g2', { groupId: 'grp_1', status: 'running', finishedAt: null }), job('g1', { groupId: 'grp_1', status: 'running', finishedAt: null })];
        return { jobId: 'g1', instanceId: 'ins_g1', groupId: 'grp_1', jobs: ['g1', 'g2'].map((id) => ({ jobId: id, instanceId: `ins_${id}` })) };
      })
      .handle('jobs:list', () => jobs);
    render(<ProvisionDialog />, { wrapper: withApi(api) });
    fireEvent.click(await screen.findByRole('radio', { name: /^cx22:/ }));
    fireEvent.click(await screen.findByRole('radio', { name: /Nuremberg/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Agent' }), { target: { value: 'build-runner' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Quantity' }), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision 2 VMs' }));

    const group = await screen.findByRole('list', { name: 'Jobs of Provision 2 VMs' });
    expect(await within(group).findByRole('button', { name: /vm-golf-1/ })).toBeTruthy();
    expect(within(group).getByRole('button', { name: /vm-golf-2/ })).toBeTruthy();
    await waitFor(() => expect(askedIds(api)).toEqual(['ins_g1', 'ins_g2']));
    expect(api.callsTo('instances:list')).toEqual([]);
  });
});
