import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../electron/core/keyed-queue';
import { waitUntil } from '../../fixtures/wait-until';

/** A task that finishes when told to, recording when it started and ended. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { task: async () => { log.push(`start ${name}`); await opened; log.push(`end ${name}`); }, open };
}

describe('KeyedQueue', () => {
  it('runs one key in order and different keys side by side', async () => {
    const log: string[] = [];
    const q = new KeyedQueue();
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    q.run('a', a1.task, () => undefined);
    q.run('a', a2.task, () => undefined);
    q.run('b', b1.task, () => undefined);
    await Promise.resolve();
    await Promise.resolve();
    // b1 started while a1 still runs; a2 waits for a1.
    expect(log).toEqual(['start a1', 'start b1']);
    a2.open();
    b1.open();
    await waitUntil(() => log.includes('end b1'), 'b1 to end');
    // a2 was opened too, but waits for a1.
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
    a1.open();
    await q.drain();
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });

  it('a failing task is reported and does not stop its key', async () => {
    const q = new KeyedQueue();
    const errors: unknown[] = [];
    const ran: string[] = [];
    q.run('a', () => Promise.reject(new Error('boom')), (e) => errors.push(e));
    q.run('a', async () => { ran.push('next'); }, (e) => errors.push(e));
    await q.drain();
    expect(errors).toHaveLength(1);
    expect(ran).toEqual(['next']);
  });
});
