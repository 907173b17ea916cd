// A failure says what to do, and a deliberate wait says why it waits: a Tailscale 403 names the
// missing scope, a Hetzner rate-limit wait shows on the timeline while it happens (and a failure
// after it explains the shared limit), and a single 503 is retried instead of failing the job.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/domain';
import { MemoryEventSink } from '../../../electron/core/ports';
import { ENGINES } from '../../fixtures/engines';
import { leftovers, startHarness, type Harness } from '../../fixtures/pipeline';

describe.each(ENGINES)('failure hints on %s', (engine) => {
  let h: Harness;
  const events = new MemoryEventSink();
  beforeAll(async () => {
    h = await startHarness({ engine, pipeline: { enrolledTimeoutMs: 5_000 }, events });
  });
  afterEach(async () => {
    await h.control.clearFaults();
  });
  afterAll(async () => {
    await h?.close();
  });

  const provision = (agentName: string) => h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName });
  const stepFailed = async (jobId: string) => (await h.runtime.store.jobs.events(jobId)).find((e) => e.type === 'step_failed');
  const waitNotes = async (jobId: string) => (await h.runtime.store.jobs.events(jobId)).filter((e) => e.type === 'note' && e.data.wait !== undefined);

  describe('hints on failures', () => {
    it('a Tailscale 403 on minting the key names the missing scope and the tags', async () => {
      await h.control.addFault({ method: 'POST', path: '/tailscale/api/v2/tailnet/*/keys', status: 403, message: 'calling actor does not have enough permissions to perform this function' });
      const { jobId } = await provision('forbidden');
      const job = await h.settle(jobId);
      expect(job).toMatchObject({ status: 'failed', error: { step: 'mint_key', code: 'http_403' } });
      expect((await stepFailed(jobId))?.data.hint).toMatch(/lacks the auth_keys scope[\s\S]*auth_keys and devices:core[\s\S]*Tailscale tags/);
    });

    it('a rate-limit wait is on the timeline (and in a job:progress event) before the step ends', async () => {
      await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 429, code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached', count: 2 });
      const { jobId } = await provision('rate limited');
      expect((await h.settle(jobId)).status).toBe('succeeded');
      const notes = await waitNotes(jobId);
      expect(notes.length).toBeGreaterThanOrEqual(1);
      expect(notes[0]).toMatchObject({ step: 'create_server', data: { message: expect.stringMatching(/^Waiting for Hetzner's rate limit, \d+ s$/), wait: { cloud: 'hetzner', reason: 'rate_limit', apiCode: 'rate_limit_exceeded' } } });
      const all = await h.runtime.store.jobs.events(jobId);
      const created = all.find((e) => e.type === 'step_succeeded' && e.step === 'create_server')!;
      expect(notes[0]!.seq).toBeLessThan(created.seq);
      const published = events.emitted.filter((e) => e.event === 'job:progress').map((e) => (e.payload as { event: JobEvent | null }).event);
      expect(published.some((e) => e?.jobId === jobId && e.seq === notes[0]!.seq)).toBe(true);
    });

    it('a failure after the rate limit retries explains the shared limit', async () => {
      await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 429, code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached' });
      const { jobId } = await provision('always limited');
      const job = await h.settle(jobId);
      expect(job).toMatchObject({ status: 'failed', error: { step: 'create_server', code: 'rate_limit_exceeded' } });
      expect((await stepFailed(jobId))?.data.hint).toMatch(/3600 requests an hour per project[\s\S]*tried 6 times/);
      expect((await waitNotes(jobId)).length).toBeGreaterThanOrEqual(1);
    });

    it('a persistent 503 fails with a hint that it is Hetzner, not the network', async () => {
      await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'service unavailable' });
      const { jobId } = await provision('down');
      const job = await h.settle(jobId);
      expect(job).toMatchObject({ status: 'failed', error: { step: 'create_server', code: 'unavailable' } });
      expect((await stepFailed(jobId))?.data.hint).toMatch(/Hetzner's side, not your network/);
      expect(await leftovers(h)).toEqual({ servers: [], devices: [], validKeys: [] });
    });
  });

  describe('a single 503', () => {
    it('on POST /servers is retried after a lookup by label: one server, the job succeeds', async () => {
      await h.control.addFault({ method: 'POST', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'service unavailable', count: 1 });
      const { lastSeq } = await h.control.requests();
      const { jobId } = await provision('one 503');
      expect((await h.settle(jobId)).status).toBe('succeeded');
      const mine = (await h.control.state()).servers.filter((s) => s.labels['outpost.job'] === jobId);
      expect(mine).toHaveLength(1);
      const log = (await h.control.requests(lastSeq)).requests.filter((r) => r.path.split('?')[0] === '/hetzner/v1/servers');
      const posts = log.filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.status)).toEqual([503, 201]);
      // Between the two POSTs, a lookup by the job's label.
      const between = log.filter((r) => r.method === 'GET' && r.path.includes('label_selector=outpost.job') && r.seq > posts[0]!.seq && r.seq < posts[1]!.seq);
      expect(between.length).toBeGreaterThanOrEqual(1);
      expect((await waitNotes(jobId))[0]?.data).toMatchObject({ wait: { reason: 'unavailable' } });
    });

    it('on a GET is retried by the client: the job succeeds', async () => {
      await h.control.addFault({ method: 'GET', path: '/hetzner/v1/servers', status: 503, code: 'unavailable', message: 'service unavailable', count: 1 });
      const { jobId } = await provision('get 503');
      expect((await h.settle(jobId)).status).toBe('succeeded');
    });
  });
});
