// @vitest-environment happy-dom
// In a time-scaled sandbox a job's durations read as the simulated time they stand for, with the
// scale ("≈1 min 42 s simulated, ×20"), not as the few real seconds they took.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Job, JobEvent } from '../../shared/domain';
import { JobCard } from '../../renderer/src/features/jobs/JobCard';
import { simulatedDuration } from '../../renderer/src/lib/format';
import { appInfo, baseApi, withApi } from './fake-api';

afterEach(cleanup);

const t0 = Date.parse('2026-05-04T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const job: Job = {
  id: 'job_t', kind: 'provision', status: 'succeeded', step: null, instanceId: 'ins_t', paymentId: null, error: null, retryOf: null, retriedBy: null,
  createdAt: iso(t0), updatedAt: iso(t0 + 6_000), finishedAt: iso(t0 + 6_000),
};
const events: JobEvent[] = [
  { jobId: 'job_t', seq: 1, at: iso(t0), type: 'step_started', step: 'wait_running', durationMs: null, data: {} },
  { jobId: 'job_t', seq: 2, at: iso(t0 + 5_100), type: 'step_succeeded', step: 'wait_running', durationMs: 5_100, data: {} },
];
const api = (simTimeScale: number | null) => baseApi().handle('app:info', () => ({ ...appInfo(), simTimeScale })).handle('jobs:get', () => ({ job, events }));

describe('sandbox time', () => {
  it('converts real durations to simulated ones, naming the scale', () => {
    expect(simulatedDuration(5_100, 0.05)).toBe('≈1 min 42 s simulated, ×20');
    expect(simulatedDuration(800, 0.01)).toBe('≈1 min 20 s simulated, ×100');
    expect(simulatedDuration(5_100, 1)).toBe('5.1 s');
    expect(simulatedDuration(5_100, null)).toBe('5.1 s');
  });

  it('a job card in a scaled sandbox shows step and total durations in simulated time', async () => {
    render(<JobCard jobId="job_t" />, { wrapper: withApi(api(0.05)) });
    const step = await screen.findByRole('listitem', { name: /^wait running: done, ≈1 min 42 s simulated, ×20$/ });
    expect(step.textContent).toContain('≈1 min 42 s simulated, ×20');
    expect(screen.getByLabelText('Elapsed').textContent).toBe('≈2 min 00 s simulated, ×20');
  });

  it('live (no scale) shows real durations', async () => {
    render(<JobCard jobId="job_t" />, { wrapper: withApi(api(null)) });
    await screen.findByRole('listitem', { name: 'wait running: done, 5.1 s' });
    expect(screen.getByLabelText('Elapsed').textContent).toBe('6.0 s');
  });
});
