// Job leases on both engines (issue 16 item 4): two processes sharing one store (two Store
// instances on one SQLite file or one PostgreSQL database, each with its own owner id) never hold the
// same job; a lease that expired is taken over under a higher token; a write of the job's progress
// under a stale token is refused and changes nothing (fencing); a job is leased by the process that
// records it, in the same transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/core/db/store';
import { MemoryEventSink } from '../../../electron/core/ports';
import { Journal } from '../../../electron/core/provisioning/journal';
import { LeaseLost, Leases, leaseMsFromEnv } from '../../../electron/core/provisioning/lease';
import { ENGINES, storeLocation, type TestLocation } from '../../fixtures/engines';
import { seedInstance } from '../../fixtures/seed';
import { storeHash } from '../../fixtures/store-hash';

const T0 = Date.parse('2026-11-29T12:00:00.000Z');
const LEASE_MS = 30_000;
const at = new Date(T0).toISOString();

/** A process's view of the store: its own connection(s), owner id and clock. */
interface Proc {
  store: Store;
  leases: Leases;
  journal: Journal;
  clock: { now: number };
}

describe.each(ENGINES)('job leases on %s', (engine) => {
  let place: TestLocation;
  const opened: Store[] = [];

  async function proc(): Promise<Proc> {
    const store = await Store.open(place.location);
    opened.push(store);
    const clock = { now: T0 };
    const leases = new Leases(store, { leaseMs: LEASE_MS, exclusive: false, now: () => clock.now });
    return { store, leases, journal: new Journal(store, new MemoryEventSink(), { now: () => clock.now }, leases), clock };
  }

  async function insertJobs(store: Store, n: number, status: 'queued' | 'running' = 'running'): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `job_${String(i).padStart(3, '0')}`);
    await store.transaction(async (tx) => {
      for (const id of ids) {
        await tx.jobs.insert({ id, kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
        if (status === 'running') await tx.jobs.update(id, { status: 'running' }, at);
      }
    });
    return ids;
  }

  beforeEach(async () => {
    place = await storeLocation(engine);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await place.cleanup();
  });

  it('gives every job to exactly one of two processes claiming at once', async () => {
    const a = await proc();
    const b = await proc();
    const ids = await insertJobs(a.store, 120);
    // A terminal job is never claimed.
    await a.store.jobs.update(ids[0]!, { status: 'succeeded', finishedAt: at }, at);
    const exp = new Date(T0 + LEASE_MS).toISOString();
    const got = new Map<string, string[]>([
      ['a', []],
      ['b', []],
    ]);
    // Four claimers per process, a few jobs per claim, until nothing is left to claim: the claims
    // overlap in time on both connections (PostgreSQL: they skip each other's locked rows).
    const claimer = async (p: Proc, name: string) => {
      for (;;) {
        const claimed = await p.store.leases.claim(p.leases.owner, at, exp, { limit: 3 });
        got.get(name)!.push(...claimed.map((c) => c.jobId));
        if (claimed.length === 0 && (await unclaimed(p.store)) === 0) return;
      }
    };
    await Promise.all([...[1, 2, 3, 4].map(() => claimer(a, 'a')), ...[1, 2, 3, 4].map(() => claimer(b, 'b'))]);
    const all = [...got.get('a')!, ...got.get('b')!];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(ids.slice(1).sort());
    // Both got some (the claims really interleaved), and the rows say who holds what, token 1 each.
    expect(got.get('a')!.length).toBeGreaterThan(0);
    expect(got.get('b')!.length).toBeGreaterThan(0);
    const rows = await a.store.db.selectFrom('jobs').select(['id', 'lease_owner', 'lease_token']).orderBy('id').execute();
    for (const row of rows.slice(1)) {
      expect(row.lease_owner).toBe(got.get('a')!.includes(row.id) ? a.leases.owner : b.leases.owner);
      expect(row.lease_token).toBe(1);
    }
    expect(rows[0]).toMatchObject({ lease_owner: null, lease_token: 0 });
  });

  it('takes over a job whose lease expired, under a higher token, and the old holder learns it lost it', async () => {
    const a = await proc();
    const b = await proc();
    const [jobId] = await insertJobs(a.store, 1);
    expect(await a.leases.claim()).toEqual([jobId]);
    expect(await a.store.leases.of(jobId!)).toEqual({ owner: a.leases.owner, expiresAt: new Date(T0 + LEASE_MS).toISOString(), token: 1 });

    // Still valid: B gets nothing, and cannot take it for a cancel either.
    b.clock.now = T0 + LEASE_MS - 1;
    expect(await b.leases.claim()).toEqual([]);
    expect(await b.leases.acquire(jobId!)).toBe(false);

    // A renewal pushes the expiry on.
    a.clock.now = T0 + 10_000;
    expect(await a.leases.renew()).toEqual({ lost: [], cancelRequested: [] });
    b.clock.now = T0 + LEASE_MS + 1;
    expect(await b.leases.claim()).toEqual([]);

    // A stops renewing (dead, or stalled): after the expiry B claims it, token 2.
    b.clock.now = T0 + 10_000 + LEASE_MS;
    expect(await b.leases.claim()).toEqual([jobId]);
    expect(await b.store.leases.of(jobId!)).toMatchObject({ owner: b.leases.owner, token: 2 });
    expect(b.leases.holds(jobId!)).toBe(true);

    // A comes back: its renewal finds the job gone, and A holds it no longer.
    a.clock.now = b.clock.now;
    expect(await a.leases.renew()).toEqual({ lost: [jobId], cancelRequested: [] });
    expect(a.leases.holds(jobId!)).toBe(false);
    expect(await a.store.leases.of(jobId!)).toMatchObject({ owner: b.leases.owner, token: 2 });
  });

  it('refuses a write of the job under a stale token, and changes nothing', async () => {
    const a = await proc();
    const b = await proc();
    const instanceId = await seedInstance(a.store, { name: 'fenced-01', status: 'provisioning' });
    const jobId = 'job_fenced';
    await a.store.jobs.insert({ id: jobId, kind: 'provision', instanceId, paymentId: null, params: {}, at });
    await a.store.jobs.update(jobId, { status: 'running' }, at);
    await a.leases.claim();

    // Under its valid token, A's run writes (event + job patch + instance patch in one transaction).
    await a.leases.run(jobId, () =>
      a.journal.record(jobId, { type: 'step_started', step: 'mint_key' }, { step: 'mint_key' }, { id: instanceId, patch: { keyId: 'k1' } }),
    );
    expect((await a.store.jobs.get(jobId))!.step).toBe('mint_key');

    // A stalls past its lease; B takes the job over (token 2) and writes.
    b.clock.now = T0 + LEASE_MS + 1;
    expect(await b.leases.claim()).toEqual([jobId]);
    await b.leases.run(jobId, () => b.journal.record(jobId, { type: 'note', data: { message: 'resumed by B' } }));

    // A's run goes on with token 1: every kind of progress write is refused, and the store is unchanged.
    const before = await storeHash(a.store);
    await a.leases.run(jobId, async () => {
      await expect(a.journal.record(jobId, { type: 'step_succeeded', step: 'mint_key' }, { state: { completed: ['mint_key'] } }, { id: instanceId, patch: { keyId: 'k2' } })).rejects.toBeInstanceOf(
        LeaseLost,
      );
      await expect(
        a.journal.transaction(jobId, async (tx) => {
          await tx.instances.update(instanceId, { status: 'running' }, at);
          await tx.jobs.update(jobId, { status: 'succeeded', finishedAt: at }, at);
        }),
      ).rejects.toBeInstanceOf(LeaseLost);
    });
    expect(await storeHash(a.store)).toBe(before);
    expect(a.leases.holds(jobId)).toBe(false);
    // A run started now is refused at once: A holds nothing.
    await expect(a.leases.run(jobId, () => Promise.resolve())).rejects.toBeInstanceOf(LeaseLost);
    const events = await a.store.jobs.events(jobId);
    expect(events.map((e) => `${e.type}:${e.step ?? ''}`)).toEqual(['step_started:mint_key', 'note:']);
    expect((await a.store.instances.get(instanceId))!.status).toBe('provisioning');

    // A write that is not a run of the job (an operator's note through A) is not progress: not fenced.
    await a.journal.record(jobId, { type: 'note', data: { message: 'Cancel requested.' } });
    expect((await a.store.jobs.events(jobId)).length).toBe(3);
  });

  it('gives the lease back in the write that finishes the job, keeping the token', async () => {
    const a = await proc();
    const [jobId] = await insertJobs(a.store, 1);
    expect(await a.leases.claim()).toEqual([jobId]);
    await a.leases.run(jobId!, () => a.journal.transaction(jobId!, (tx) => tx.jobs.update(jobId!, { status: 'running', step: 'activate' }, at)));
    expect(await a.store.leases.of(jobId!)).toMatchObject({ owner: a.leases.owner, token: 1 });
    // The finishing write alone (before the runner's own release, which may never come if it dies).
    await a.leases.run(jobId!, () => a.journal.transaction(jobId!, (tx) => tx.jobs.update(jobId!, { status: 'succeeded', finishedAt: at }, at)));
    expect(await a.store.leases.of(jobId!)).toEqual({ owner: null, expiresAt: null, token: 1 });
  });

  it('leases a job to the process that records it, in the recording transaction', async () => {
    const a = await proc();
    const b = await proc();
    a.store.leaseNewJobs(a.leases.newJobLease);
    await a.store.transaction(async (tx) => {
      await tx.jobs.insert({ id: 'job_new', kind: 'provision', instanceId: null, paymentId: null, params: {}, at });
      // Visible with its lease already inside the transaction that records it.
      expect(await tx.leases.of('job_new')).toEqual({ owner: a.leases.owner, expiresAt: new Date(T0 + LEASE_MS).toISOString(), token: 1 });
    });
    expect(await b.leases.claim()).toEqual([]);
    expect(await a.leases.acquire('job_new')).toBe(true);
    expect(a.leases.holds('job_new')).toBe(true);
    // Not claimed again by its holder: the token stays, so its run is not fenced off by itself.
    expect(await a.leases.claim()).toEqual([]);
    expect((await a.store.leases.of('job_new'))!.token).toBe(1);
  });

  it('gives jobs back on release (claimable at once), and reports a cancel requested through another process', async () => {
    const a = await proc();
    const b = await proc();
    const ids = await insertJobs(a.store, 3);
    expect((await a.leases.claim()).sort()).toEqual(ids);
    await b.store.jobs.requestCancel(ids[1]!, at);
    expect(await a.leases.renew()).toEqual({ lost: [], cancelRequested: [ids[1]] });
    await a.leases.release([ids[0]!]);
    expect(a.leases.heldJobs.sort()).toEqual(ids.slice(1));
    expect(await b.leases.claim()).toEqual([ids[0]]);
    await a.leases.release();
    expect(a.leases.heldJobs).toEqual([]);
    expect((await b.leases.claim()).sort()).toEqual(ids.slice(1));
    // The tokens only grow: 1 for A's claim, 2 for B's.
    for (const id of ids) expect((await b.store.leases.of(id))!.token).toBe(2);
  });

  it('takes over every unfinished job at once when it alone uses the store (takeOver)', async () => {
    const a = await proc();
    const b = await proc();
    const ids = await insertJobs(a.store, 2, 'queued');
    await a.leases.claim();
    expect((await b.leases.claim({ takeOver: true })).sort()).toEqual(ids);
    expect((await a.leases.renew()).lost.sort()).toEqual(ids);
  });
});

describe('the lease length from OUTPOST_LEASE_SECONDS', () => {
  it('is read in seconds, absent means the default, and a bad value is refused naming the variable', () => {
    expect(leaseMsFromEnv({})).toBeUndefined();
    expect(leaseMsFromEnv({ OUTPOST_LEASE_SECONDS: ' 1.5 ' })).toBe(1500);
    for (const bad of ['0.5', 'abc', '-3', '3601', 'Infinity']) {
      expect(() => leaseMsFromEnv({ OUTPOST_LEASE_SECONDS: bad })).toThrow(/OUTPOST_LEASE_SECONDS must be a number of seconds from 1 to 3600/);
    }
  });
});

/** Unfinished jobs nobody holds. */
async function unclaimed(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['queued', 'running', 'compensating'])
    .where('lease_owner', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
