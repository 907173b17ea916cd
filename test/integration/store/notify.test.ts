// Job and instance events between the processes sharing a PostgreSQL store (LISTEN/NOTIFY, issue 16
// item 4): a process's event reaches the other processes' browsers, read from the committed row,
// once; never its own browsers a second time; anything else on the channel is ignored; a listener
// whose connection drops reconnects and receives again.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL, LISTENER_NAME } from '../../../electron/core/db/notify';
import { Store } from '../../../electron/core/db/store';
import { NotifyingSink, parseNotice, relayOtherProcesses } from '../../../electron/core/event-relay';
import { silentLogger } from '../../../electron/core/log';
import { MemoryEventSink } from '../../../electron/core/ports';
import { storeLocation, type TestLocation } from '../../fixtures/engines';
import { seedInstance } from '../../fixtures/seed';
import { waitUntil } from '../../fixtures/wait-until';

const at = '2026-11-29T12:00:00.000Z';

describe('store notifications on postgres', () => {
  let place: TestLocation;
  let a: Store;
  let b: Store;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    place = await storeLocation('postgres');
    if (place.location.engine !== 'postgres') throw new Error('postgres expected');
    a = await Store.open(place.location);
    b = await Store.open(place.location);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await a.close();
    await b.close();
    await place.cleanup();
  });

  /** A process: its browsers' sink, the sink its core emits to, and its relay of the others' notices. */
  async function proc(store: Store, origin: string) {
    const url = (place.location as { url: string }).url;
    const browsers = new MemoryEventSink();
    const core = new NotifyingSink(browsers, store, origin, silentLogger);
    const relay = relayOtherProcesses({ url, store, origin, local: browsers, log: silentLogger });
    closers.push(async () => {
      await core.drain();
      await relay.close();
    });
    await relay.ready;
    return { browsers, core };
  }

  async function jobWithEvent(store: Store) {
    const instanceId = await seedInstance(store, { name: 'relayed-01', status: 'provisioning', at });
    await store.jobs.insert({ id: 'job_relayed', kind: 'provision', instanceId, paymentId: null, params: {}, at });
    const event = await store.jobs.appendEvent('job_relayed', { type: 'step_started', step: 'mint_key' }, at);
    await store.jobs.update('job_relayed', { status: 'running', step: 'mint_key' }, at);
    return { instanceId, event, job: (await store.jobs.get('job_relayed'))! };
  }

  /** The backends listening for this database's processes. */
  const listeners = async () => {
    const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE application_name = ${LISTENER_NAME} AND datname = current_database() AND query LIKE 'LISTEN%'`.execute(a.db);
    return rows.map((r) => Number(r.pid));
  };

  it("gives the other process's browsers each job and instance event once, read from the row, and never echoes its own", async () => {
    const pa = await proc(a, 'process-a');
    const pb = await proc(b, 'process-b');
    const { instanceId, event, job } = await jobWithEvent(a);

    pa.core.emit('job:progress', { jobId: job.id, seq: event.seq, job, event });
    pa.core.emit('instance:changed', { instance: (await a.instances.get(instanceId))! });
    await waitUntil(() => pb.browsers.emitted.length === 2, "A's two events at B");
    // Different rows are relayed side by side (one row's in order): the two may arrive either way round.
    const byEvent = (list: { event: string }[]) => [...list].sort((x, y) => x.event.localeCompare(y.event));
    expect(byEvent(pb.browsers.emitted)).toEqual([
      { event: 'instance:changed', payload: { instance: await b.instances.get(instanceId) } },
      { event: 'job:progress', payload: { jobId: job.id, seq: event.seq, job, event } },
    ]);

    // B's own event reaches A; A's browsers got A's own events once (directly), never back through the channel.
    const noted = await b.jobs.appendEvent(job.id, { type: 'note', data: { message: 'from B' } }, at);
    pb.core.emit('job:progress', { jobId: job.id, seq: noted.seq, job, event: noted });
    await waitUntil(() => pa.browsers.emitted.length === 3, "B's event at A");
    expect(pa.browsers.emitted.map((e) => [e.event, (e.payload as { seq?: number }).seq])).toEqual([
      ['job:progress', 1],
      ['instance:changed', undefined],
      ['job:progress', 2],
    ]);
    expect((pa.browsers.emitted[2]!.payload as { event: unknown }).event).toEqual(noted);
    expect(pb.browsers.emitted).toHaveLength(3);
  });

  it("relays one job's notices in the order they came, whatever each takes to read", async () => {
    const pb = await proc(b, 'process-b');
    const { job } = await jobWithEvent(a);
    const seqs: number[] = [];
    for (let n = 0; n < 20; n++) seqs.push((await a.jobs.appendEvent(job.id, { type: 'note', data: { n } }, at)).seq);
    // Sent as fast as they go: the relay reads each row (two queries) while the next notices arrive.
    for (const seq of seqs) await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ origin: 'x', kind: 'job', jobId: job.id, seq })})`.execute(a.db);
    await waitUntil(() => pb.browsers.emitted.length === seqs.length, 'every notice relayed');
    expect(pb.browsers.emitted.map((e) => (e.payload as { seq: number }).seq)).toEqual(seqs);
  });

  it('ignores what is not a notice, and a notice about a row that is not there', async () => {
    const pb = await proc(b, 'process-b');
    const { event, job } = await jobWithEvent(a);
    for (const payload of ['not json', '{"origin":"x","kind":"job"}', '{"kind":"instance","instanceId":"ins_1"}', JSON.stringify({ origin: 'x', kind: 'job', jobId: 'job_none', seq: 1 })]) {
      await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(a.db);
    }
    // A well-formed notice sent last: once it arrived, everything before it was handled.
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ origin: 'x', kind: 'job', jobId: job.id, seq: event.seq })})`.execute(a.db);
    await waitUntil(() => pb.browsers.emitted.length > 0, 'the well-formed notice');
    expect(pb.browsers.emitted).toEqual([{ event: 'job:progress', payload: { jobId: job.id, seq: event.seq, job, event } }]);
    expect(parseNotice('{"origin":"x","kind":"job","jobId":"j","seq":1.5}')).toBeNull();
  });

  it('reconnects a listener whose connection dropped, and relays again', async () => {
    const pa = await proc(a, 'process-a');
    const pb = await proc(b, 'process-b');
    const { event, job } = await jobWithEvent(a);
    await waitUntil(async () => (await listeners()).length === 2, 'both listeners');
    const before = await listeners();
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${LISTENER_NAME} AND datname = current_database()`.execute(a.db);
    // Both listen again, on new connections.
    await waitUntil(async () => (await listeners()).filter((pid) => !before.includes(pid)).length === 2, 'both listeners back', 30_000);
    pa.core.emit('job:progress', { jobId: job.id, seq: event.seq, job, event });
    await waitUntil(() => pb.browsers.emitted.length === 1, "A's event at B after the reconnect");
    expect(pb.browsers.emitted[0]!.payload).toMatchObject({ jobId: job.id, seq: event.seq });
  });
});
