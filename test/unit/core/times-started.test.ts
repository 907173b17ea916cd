// A job's timeline says how often a step was started (each start is journaled before its work): the
// pipeline reads it to know whether this create_server is the job's first, which alone may POST without
// a label lookup, and whether mint_key ran before (an earlier key to revoke).
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/domain';
import { timesStarted } from '../../../electron/core/provisioning/step';

let seq = 0;
const event = (type: JobEvent['type'], step: string | null): JobEvent => ({ jobId: 'job_1', seq: ++seq, at: '2026-11-30T00:00:00.000Z', type, step, durationMs: null, data: {} });

describe('timesStarted', () => {
  it('counts the starts of that step only', () => {
    const events = [
      event('step_started', 'mint_key'),
      event('step_succeeded', 'mint_key'),
      event('step_started', 'create_server'),
      event('note', 'create_server'),
      event('step_failed', 'create_server'),
      event('step_started', 'create_server'),
    ];
    expect(timesStarted(events, 'create_server')).toBe(2);
    expect(timesStarted(events, 'mint_key')).toBe(1);
    expect(timesStarted(events, 'wait_running')).toBe(0);
    expect(timesStarted([], 'create_server')).toBe(0);
  });
});
