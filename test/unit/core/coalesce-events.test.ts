import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescingSink } from '../../../electron/core/coalesce-events';
import { MemoryEventSink } from '../../../electron/core/ports';

const progress = (jobId: string, seq: number) => ({ jobId, seq, job: {} as never, event: null });

describe('CoalescingSink', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first event at once and folds a burst into one trailing event with the latest state', () => {
    const inner = new MemoryEventSink();
    const sink = new CoalescingSink(inner, 100, () => Date.now());
    for (let seq = 1; seq <= 50; seq++) sink.emit('job:progress', progress('job_a', seq));
    expect(inner.emitted.map((e) => (e.payload as { seq: number }).seq)).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(inner.emitted.map((e) => (e.payload as { seq: number }).seq)).toEqual([1, 50]);
  });

  it('keeps jobs apart: one job’s burst never delays another’s event', () => {
    const inner = new MemoryEventSink();
    const sink = new CoalescingSink(inner, 100, () => Date.now());
    sink.emit('job:progress', progress('job_a', 1));
    sink.emit('job:progress', progress('job_a', 2));
    sink.emit('job:progress', progress('job_b', 1));
    expect(inner.emitted.map((e) => (e.payload as { jobId: string }).jobId)).toEqual(['job_a', 'job_b']);
  });

  it('sends at most about 10 events per second per job under a steady stream', () => {
    const inner = new MemoryEventSink();
    const sink = new CoalescingSink(inner, 100, () => Date.now());
    for (let t = 0; t < 1000; t += 5) {
      sink.emit('job:progress', progress('job_a', t));
      vi.advanceTimersByTime(5);
    }
    sink.flush();
    expect(inner.emitted.length).toBeGreaterThanOrEqual(9);
    expect(inner.emitted.length).toBeLessThanOrEqual(12);
    expect((inner.emitted.at(-1)!.payload as { seq: number }).seq).toBe(995);
  });
});

describe('CoalescingSink and wait notes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const note = (jobId: string, seq: number) => ({
    jobId,
    seq,
    job: {} as never,
    event: { jobId, seq, at: '', type: 'note' as const, step: 'create_server', durationMs: null, data: { message: 'Waiting for Hetzner\u2019s rate limit, 3 s', wait: { cloud: 'hetzner' } } },
  });

  it('never folds a note that says why a step waits: what was pending goes first, then the note, at once', () => {
    const inner = new MemoryEventSink();
    const sink = new CoalescingSink(inner, 100, () => Date.now());
    sink.emit('job:progress', progress('job_a', 1));
    sink.emit('job:progress', progress('job_a', 2)); // pending (within 100 ms)
    sink.emit('job:progress', note('job_a', 3));
    sink.emit('job:progress', progress('job_a', 4)); // folded as usual after the note
    expect(inner.emitted.map((e) => (e.payload as { seq: number }).seq)).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(100);
    expect(inner.emitted.map((e) => (e.payload as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
  });
});
