// recordPayment (electron/core/payments/record.ts) on a fake store, with the catalog step
// (planProvision) and the job insert (insertReservation) replaced: exactly one job per reference —
// a repeat plans nothing, a racing duplicate inserts nothing, every recorded detail as given. Written
// to kill the mutants StrykerJS found surviving the integration tests (a second job is a second paid VM).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Payment } from '../../../shared/domain';
import type { PaymentInput } from '../../../electron/core/payments/record';

const reserve = vi.hoisted(() => ({
  planProvision: vi.fn(async (_store: unknown, _clouds: unknown, _config: unknown, input: Record<string, unknown>) => ({ plan: input })),
  insertReservation: vi.fn(async (..._args: unknown[]) => ({ jobId: 'job_1', instanceId: 'inst_1', agentId: 'agent_1' })),
}));
vi.mock('../../../electron/core/provisioning/reserve', () => reserve);
const { recordPayment } = await import('../../../electron/core/payments/record');

const input: PaymentInput = { reference: 'INV-1', customer: 'Ada', amount: 19.9, currency: 'EUR', plan: 'cx22', region: 'fsn1' } as PaymentInput;
const recorded = (over: Partial<Payment> = {}): Payment =>
  ({ id: 'pay_x', reference: 'INV-1', customer: 'Ada', contact: null, amountCents: 1990, currency: 'EUR', plan: 'cx22', region: 'fsn1', note: null, ...over }) as Payment;

// Async like the real store (a missed await then shows as a Promise where a row belongs); the
// transaction hands the callback this same fake as its `tx`.
function fakeStore(options: { existing?: Payment[]; inserts?: boolean; vanish?: boolean } = {}) {
  const byReference = vi.fn(async (_ref: string) => options.existing?.shift());
  const rows = new Map<string, Record<string, unknown>>();
  const insertIfNew = vi.fn(async (row: Record<string, unknown>) => {
    if (options.inserts === false) return false;
    rows.set(row.id as string, row);
    return true;
  });
  const update = vi.fn(async (id: string, patch: Record<string, unknown>) => void rows.set(id, { ...rows.get(id), ...patch }));
  const get = vi.fn(async (id: string) => (options.vanish ? undefined : rows.get(id)));
  const store: Record<string, unknown> = { payments: { byReference, insertIfNew, update, get } };
  store.transaction = async <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => fn(store);
  return { store: store as never, byReference, insertIfNew, update, get };
}
const pipeline = { clouds: { c: 1 }, config: { k: 2 } };
const now = () => '2026-08-20T10:00:00.000Z';

beforeEach(() => {
  reserve.planProvision.mockClear();
  reserve.insertReservation.mockClear();
});

describe('recordPayment', () => {
  it('a new reference: plans once, records every detail as given, and links the payment to its job', async () => {
    const s = fakeStore();
    const result = await recordPayment(s.store, pipeline as never, { ...input, contact: 'ada@example.com', note: 'first', agentName: 'bot', name: 'vm-ada', image: 'debian-12' } as PaymentInput, 'ubuntu-24.04', now);
    expect(reserve.planProvision).toHaveBeenCalledWith(s.store, pipeline.clouds, pipeline.config, {
      region: 'fsn1',
      serverType: 'cx22',
      image: 'debian-12',
      agentName: 'bot',
      customer: 'Ada',
      name: 'vm-ada',
    });
    const row = s.insertIfNew.mock.calls[0]![0];
    expect(row).toEqual({ id: expect.stringMatching(/^pay/), reference: 'INV-1', customer: 'Ada', contact: 'ada@example.com', amountCents: 1990, currency: 'EUR', plan: 'cx22', region: 'fsn1', note: 'first', recordedAt: now() });
    const [, plan, at, paymentId, planMs] = reserve.insertReservation.mock.calls[0]!;
    expect([plan, at, paymentId]).toEqual([{ plan: expect.objectContaining({ region: 'fsn1' }) }, now(), row.id]);
    expect(planMs).toBeGreaterThanOrEqual(0);
    // The time spent planning: shorter than everything this process has lived.
    expect(planMs).toBeLessThan(performance.now());
    expect(s.update).toHaveBeenCalledWith(row.id, { status: 'provisioning', jobId: 'job_1', instanceId: 'inst_1' });
    expect(result).toEqual({ payment: expect.objectContaining({ id: row.id, jobId: 'job_1', status: 'provisioning' }), created: true, reservation: { jobId: 'job_1', instanceId: 'inst_1', agentId: 'agent_1' } });
  });

  it('defaults: the given image, the customer as agent name, no name; contact and note recorded as null', async () => {
    const s = fakeStore();
    await recordPayment(s.store, pipeline as never, input, 'ubuntu-24.04', now);
    expect(reserve.planProvision.mock.calls[0]![3]).toEqual({ region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'Ada', customer: 'Ada' });
    expect(s.insertIfNew.mock.calls[0]![0]).toMatchObject({ contact: null, note: null, amountCents: 1990 });
  });

  it('a repeat of a recorded reference with the same details answers the recorded payment and plans nothing', async () => {
    const existing = recorded({ contact: 'ada@example.com' });
    const s = fakeStore({ existing: [existing] });
    await expect(recordPayment(s.store, pipeline as never, { ...input, contact: 'ada@example.com' } as PaymentInput, 'ubuntu-24.04', now)).resolves.toEqual({ payment: existing, created: false, reservation: null });
    expect(reserve.planProvision).not.toHaveBeenCalled();
    expect(s.insertIfNew).not.toHaveBeenCalled();
  });

  it('a repeat with other details is a conflict naming each differing field, changing nothing', async () => {
    const s = fakeStore({ existing: [recorded()] });
    await expect(recordPayment(s.store, pipeline as never, { ...input, amount: 29.9, contact: 'x@y.z' } as PaymentInput, 'ubuntu-24.04', now)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Payment INV-1 is already recorded with a different contact, amount.',
    });
    expect(s.insertIfNew).not.toHaveBeenCalled();
  });

  it('lost a race (another call recorded the reference meanwhile): inserts no job and answers the winner', async () => {
    const winner = recorded({ id: 'pay_winner' });
    const s = fakeStore({ existing: [undefined as never, winner], inserts: false });
    await expect(recordPayment(s.store, pipeline as never, input, 'ubuntu-24.04', now)).resolves.toEqual({ payment: winner, created: false, reservation: null });
    expect(reserve.insertReservation).not.toHaveBeenCalled();
    expect(s.update).not.toHaveBeenCalled();
    expect(s.byReference).toHaveBeenCalledTimes(2);
  });

  it('a payment missing right after its insert is an internal error, not a silent success', async () => {
    const s = fakeStore({ vanish: true });
    await expect(recordPayment(s.store, pipeline as never, input, 'ubuntu-24.04', now)).rejects.toMatchObject({ code: 'internal', message: 'The payment vanished after recording.' });
  });
});
