// @vitest-environment happy-dom
// A job card says why a step waits (core's wait note, counting down) and what to do about a failure
// (core's hint on the step_failed event, e.g. the Tailscale scope that is missing).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Job, JobEvent } from '../../shared/domain';
import { JobCard } from '../../renderer/src/features/jobs/JobCard';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

const started = Date.now() - 20_000;
const iso = (ms: number) => new Date(ms).toISOString();
const job = (over: Partial<Job>): Job => ({
  id: 'job_w',
  kind: 'provision',
  status: 'running',
  step: 'create_server',
  instanceId: 'ins_w',
  paymentId: null,
  error: null,
  retryOf: null,
  retriedBy: null,
  createdAt: iso(started),
  updatedAt: iso(started),
  finishedAt: null,
  ...over,
});
let seq = 0;
const event = (type: JobEvent['type'], step: string | null, data: Record<string, unknown> = {}, at = started): JobEvent => ({ jobId: 'job_w', seq: ++seq, at: iso(at), type, step, durationMs: null, data });

describe('a waiting step', () => {
  it('shows the rate-limit wait on the timeline while it lasts', async () => {
    const until = Date.now() + 12_000;
    const events = [
      event('job_created', null),
      event('step_started', 'create_server'),
      event('note', 'create_server', { message: "Waiting for Hetzner's rate limit, 12 s", wait: { cloud: 'hetzner', reason: 'rate_limit', delayMs: 12_000, until: iso(until) } }),
    ];
    render(<JobCard jobId="job_w" />, { wrapper: withApi(baseApi().handle('jobs:get', () => ({ job: job({}), events }))) });
    const row = await screen.findByRole('listitem', { name: /^create server: running/ });
    expect(row.textContent).toMatch(/so far · waiting for Hetzner's rate limit, 1[12] s/);
  });

  it('says nothing of a wait that is over', async () => {
    const events = [
      event('step_started', 'create_server'),
      event('note', 'create_server', { message: 'Hetzner answered 503 (unavailable); retrying in 1 s', wait: { cloud: 'hetzner', reason: 'unavailable', delayMs: 1000, until: iso(Date.now() - 5_000) } }),
    ];
    render(<JobCard jobId="job_w" />, { wrapper: withApi(baseApi().handle('jobs:get', () => ({ job: job({}), events }))) });
    const row = await screen.findByRole('listitem', { name: /^create server: running/ });
    expect(row.textContent).not.toMatch(/retrying|waiting for/);
  });
});

describe('a failed step', () => {
  it("shows core's hint: the Tailscale scope that is missing", async () => {
    const hint = 'The Tailscale OAuth client lacks the auth_keys scope (needed to mint and revoke auth keys).';
    const failed = job({ status: 'failed', step: 'mint_key', error: { step: 'mint_key', code: 'http_403', message: 'tailscale: forbidden (HTTP 403)' }, finishedAt: iso(started + 1000) });
    const events = [event('step_started', 'mint_key'), event('step_failed', 'mint_key', { code: 'http_403', message: 'tailscale: forbidden (HTTP 403)', hint })];
    render(<JobCard jobId="job_w" />, { wrapper: withApi(baseApi().handle('jobs:get', () => ({ job: failed, events }))) });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(hint);
  });

  it('falls back to a rate-limit hint by code for a job recorded without one', async () => {
    const failed = job({ status: 'failed', error: { step: 'create_server', code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached' }, finishedAt: iso(started + 1000) });
    render(<JobCard jobId="job_w" />, { wrapper: withApi(baseApi().handle('jobs:get', () => ({ job: failed, events: [] }))) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/3600 requests an hour per project/);
  });
});
