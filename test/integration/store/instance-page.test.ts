// instances:page on both engines (issue 14 item 6): the Fleet's filters, sorts and windows answered by
// the store. Every answer is held to the plain-code reference (test/fixtures/fleet-reference.ts), on
// fixed and on random queries, so SQLite (with its trigram index) and PostgreSQL answer alike:
// ended VMs hidden by default, ties by age then id, search folded and escaped, counts of a search
// capped, windows that add up to the whole list.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Req } from '../../../shared/contract';
import type { Instance } from '../../../shared/domain';
import { FLEET_COUNT_CAP, FLEET_SORT_KEYS } from '../../../shared/fleet-query';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { POSTGRES_MIGRATIONS } from '../../../electron/core/db/migrations-postgres';
import { Store } from '../../../electron/core/db/store';
import { NARROW } from '../../../electron/core/db/repos/instance-page';
import type { InstancePatch } from '../../../electron/core/db/repos/instances';
import { ENGINES, storeLocation, type TestLocation } from '../../fixtures/engines';
import { referencePage } from '../../fixtures/fleet-reference';

interface Vm {
  id: string;
  name: string;
  agent: string;
  customer?: string | null;
  region?: string;
  type?: string;
  price?: string | null;
  at: string;
  patch?: InstancePatch;
}

const t = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute)).toISOString();

// Ties on purpose: equal ages (t(5) twice, t(9) three times), equal regions, types, prices and agents.
const FLEET: Vm[] = [
  { id: 'ins_01', name: 'build-a', agent: 'Zoë Ångström', customer: 'ACME GmbH', at: t(1), patch: { status: 'running', publicIpv4: '10.0.3.7', tailnetIp: '100.64.0.7', serverId: 4_300_000_001, enrollment: 'online' } },
  { id: 'ins_02', name: 'build-b', agent: 'runner', customer: 'Globex', region: 'hel1', at: t(2), patch: { status: 'running', publicIpv4: '10.1.0.3', tailnetIp: '100.64.0.10', serverId: 4_300_000_002, enrollment: 'offline' } },
  { id: 'ins_03', name: 'web-1', agent: 'runner', customer: 'ACME GmbH', type: 'cpx11', price: '7.0500000000', at: t(5), patch: { status: 'running', publicIpv4: '10.0.3.70', tailnetIp: '100.64.0.9', enrollment: 'online' } },
  { id: 'ins_04', name: 'web-2', agent: 'web_agent', customer: null, at: t(5), patch: { status: 'provisioning' } },
  { id: 'ins_05', name: 'old-1', agent: 'runner', customer: 'Initech', region: 'ash', price: null, at: t(6), patch: { status: 'destroyed', publicIpv4: '10.9.9.9', enrollment: 'gone' } },
  { id: 'ins_06', name: 'broken-1', agent: '100% real', customer: 'Umbrella', at: t(7), patch: { status: 'failed' } },
  { id: 'ins_07', name: 'drifty', agent: 'runner', customer: 'Globex', region: 'hel1', at: t(8), patch: { status: 'running', publicIpv4: '203.0.113.5', drift: true, enrollment: 'offline' } },
  { id: 'ins_08', name: 'drift-gone', agent: 'runner', customer: 'Globex', at: t(9), patch: { status: 'destroyed', drift: true } },
  { id: 'ins_09', name: 'tie-1', agent: 'back\\slash', customer: 'Hooli', type: 'cpx11', at: t(9), patch: { status: 'destroying', publicIpv4: '9.9.9.9' } },
  { id: 'ins_10', name: 'tie-2', agent: 'runner', customer: 'hooli', price: '12.5', at: t(9), patch: { status: 'running', publicIpv6: '2a01:4f8::1', enrollment: 'pending' } },
  { id: 'ins_11', name: 'josé-box', agent: 'José', customer: 'Müller & Söhne', region: 'nbg1', at: t(11), patch: { status: 'running', tailnetIp: '100.64.1.1', enrollment: 'online' } },
];

const QUERIES: Req<'instances:page'>[] = [
  { limit: 50 },
  { limit: 50, showEnded: true },
  { limit: 50, status: ['destroyed'] },
  { limit: 50, status: ['failed', 'destroyed'] },
  { limit: 50, status: ['running'], region: 'hel1' },
  { limit: 50, drift: true },
  { limit: 50, drift: true, showEnded: true },
  { limit: 50, enrollment: 'offline' },
  { limit: 50, ids: ['ins_05', 'ins_02', 'ins_missing'], showEnded: true },
  { limit: 50, ids: [] },
  { limit: 50, search: 'acme' },
  { limit: 50, search: 'ANGSTROM' },
  { limit: 50, search: 'zoe' },
  { limit: 50, search: 'JOSE' },
  { limit: 50, search: 'muller & sohne' },
  { limit: 50, search: '10.0.3' },
  { limit: 50, search: '10.0.3.7' },
  { limit: 50, search: '2a01:4f8' },
  { limit: 50, search: '4300000002' },
  { limit: 50, search: 'runner globex' },
  { limit: 50, search: '  Runner   GLOBEX  ' },
  { limit: 50, search: 'build\nrunner' },
  { limit: 50, search: '100%' },
  { limit: 50, search: '100_' },
  { limit: 50, search: '%' },
  { limit: 50, search: '_' },
  { limit: 50, search: 'back\\slash' },
  { limit: 50, search: 'web_' },
  { limit: 50, search: 'b' },
  { limit: 50, search: 'old', showEnded: true },
  { limit: 50, search: 'nothing-like-this' },
  { limit: 0 },
  { limit: 3, offset: 2 },
  { limit: 5, offset: 99 },
];

describe.each(ENGINES)('instances:page on %s', (engine) => {
  let place: TestLocation;
  let store: Store;
  let fleet: Instance[];

  async function seed(s: Store, vms: readonly Vm[]): Promise<void> {
    await s.transaction(async (tx) => {
      for (const vm of vms) {
        await tx.agents.insert({ id: `agt_${vm.id}`, name: vm.agent, customer: vm.customer === undefined ? 'ACME GmbH' : vm.customer, at: vm.at });
        await tx.instances.insert({ id: vm.id, name: vm.name, agentId: `agt_${vm.id}`, jobId: null, region: vm.region ?? 'fsn1', serverType: vm.type ?? 'cx22', image: 'ubuntu-24.04', hostname: vm.name, monthlyPriceGross: vm.price === undefined ? '4.5101000000' : vm.price, at: vm.at });
        if (vm.patch) await tx.instances.update(vm.id, vm.patch, vm.at);
      }
    });
  }

  beforeAll(async () => {
    place = await storeLocation(engine);
    store = await Store.open(place.location);
    await seed(store, FLEET);
    fleet = await store.instances.byIds(FLEET.map((v) => v.id));
  });
  afterAll(async () => {
    await store.close();
    await place.cleanup();
  });

  const page = (q: Req<'instances:page'>) => store.instances.page(q);
  const names = async (q: Req<'instances:page'>) => (await page(q)).rows.map((i) => i.name);

  it('shows the VMs that have not ended, youngest first, ties by id, with the counts of the whole fleet', async () => {
    const answer = await page({ limit: 50 });
    expect(answer.rows.map((i) => i.name)).toEqual(['josé-box', 'tie-2', 'tie-1', 'drifty', 'web-2', 'web-1', 'build-b', 'build-a']);
    expect(answer).toMatchObject({ offset: 0, total: 8, capped: false, selectable: 8, counts: { live: 8, ended: 3, drift: 1 } });
    // Rows are whole instances, as instances:get reads them.
    expect(answer.rows[0]).toEqual(await store.instances.get('ins_11'));
  });

  it('answers every fixed query as the reference does', async () => {
    for (const q of QUERIES) expect(await page(q), JSON.stringify(q)).toEqual(referencePage(fleet, q));
  });

  it('sorts by every key both ways as the reference does, ended VMs included', async () => {
    for (const sort of FLEET_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const q = { limit: 50, showEnded: true, sort, dir };
        expect(await names(q), `${sort} ${dir}`).toEqual(referencePage(fleet, q).rows.map((i) => i.name));
      }
    }
  });

  it('sorts addresses by their numbers and puts a VM without an address or a price last', async () => {
    expect(await names({ limit: 50, showEnded: true, sort: 'ipv4' })).toEqual(['tie-1', 'build-a', 'web-1', 'build-b', 'old-1', 'drifty', 'josé-box', 'tie-2', 'drift-gone', 'broken-1', 'web-2']);
    expect((await names({ limit: 50, sort: 'tailnet' })).slice(0, 4)).toEqual(['build-a', 'web-1', 'build-b', 'josé-box']);
    expect((await names({ limit: 50, showEnded: true, sort: 'price' })).slice(-2)).toEqual(['tie-2', 'old-1']);
    expect((await names({ limit: 50, showEnded: true, sort: 'price', dir: 'desc' })).slice(0, 2)).toEqual(['old-1', 'tie-2']);
  });

  it('finds words in any case, without accents, each in one field, wildcards as typed', async () => {
    expect(await names({ limit: 50, search: 'ANGSTROM' })).toEqual(['build-a']);
    expect(await names({ limit: 50, search: 'jose' })).toEqual(['josé-box']);
    expect(await names({ limit: 50, search: 'runner globex' })).toEqual(['drifty', 'build-b']);
    // A word never spans two fields (the name and the agent of build-a are on two lines).
    expect(await names({ limit: 50, search: 'build-azo' })).toEqual([]);
    expect(await names({ limit: 50, search: '100%', showEnded: true })).toEqual(['broken-1']);
    expect(await names({ limit: 50, search: '%' })).toEqual([]);
    expect(await names({ limit: 50, search: 'web_' })).toEqual(['web-2']);
    expect(await names({ limit: 50, search: 'back\\slash' })).toEqual(['tie-1']);
  });

  it('gives windows that add up to the whole list, in every sort', async () => {
    for (const sort of ['age', 'name', 'agent', 'status'] as const) {
      const whole = await names({ limit: 50, showEnded: true, sort });
      const parts: string[] = [];
      for (let offset = 0; offset < whole.length; offset += 3) parts.push(...(await names({ limit: 3, offset, showEnded: true, sort })));
      expect(parts, sort).toEqual(whole);
    }
  });

  it('keeps the search current when a VM gets its addresses', async () => {
    await store.instances.update('ins_04', { publicIpv4: '198.51.100.4', tailnetIp: '100.64.9.4' }, t(30));
    expect(await names({ limit: 50, search: '198.51.100' })).toEqual(['web-2']);
    expect(await names({ limit: 50, search: '100.64.9.4' })).toEqual(['web-2']);
    await store.instances.update('ins_04', { publicIpv4: '198.51.100.99' }, t(31));
    expect(await names({ limit: 50, search: '198.51.100.4' })).toEqual([]);
    // The other fields stay searchable, and the sort key follows the address.
    expect(await names({ limit: 50, search: 'web_agent 100.64.9.4' })).toEqual(['web-2']);
    expect((await names({ limit: 50, sort: 'ipv4' })).slice(0, 6)).toEqual(['tie-1', 'build-a', 'web-1', 'build-b', 'web-2', 'drifty']);
    await store.instances.update('ins_04', { publicIpv4: null, tailnetIp: null }, t(32));
    fleet = await store.instances.byIds(FLEET.map((v) => v.id));
  });

  it('answers random queries as the reference does', async () => {
    let seed = engine === 'sqlite' ? 7 : 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const words = ['', 'runner', 'ACME', 'globex', '10.0', 'build', 'b', 'zz', 'web_', '100', 'hooli', 'gmbh acme'];
    for (let n = 0; n < 60; n++) {
      const q: Req<'instances:page'> = {
        limit: pick([1, 2, 5, 50]),
        offset: pick([0, 0, 1, 4]),
        sort: pick(FLEET_SORT_KEYS),
        dir: pick(['asc', 'desc'] as const),
        ...(rand(3) === 0 ? { showEnded: true } : {}),
        ...(rand(5) === 0 ? { status: [pick(['running', 'failed', 'destroyed', 'provisioning'] as const)] } : {}),
        ...(rand(5) === 0 ? { region: pick(['fsn1', 'hel1']) } : {}),
        ...(rand(6) === 0 ? { enrollment: pick(['online', 'offline'] as const) } : {}),
        ...(rand(8) === 0 ? { drift: true } : {}),
        ...(rand(2) === 0 ? { search: pick(words) } : {}),
      };
      expect(await page(q), JSON.stringify(q)).toEqual(referencePage(fleet, q));
    }
  });

  it(`counts a search up to ${FLEET_COUNT_CAP} and still lists the rows past it`, async () => {
    // More rows than NARROW: on SQLite a word found in all of them takes the common-word path.
    const count = NARROW + 20;
    const more: Vm[] = Array.from({ length: count }, (_, n) => ({
      id: `ins_bulk_${String(n).padStart(5, '0')}`,
      name: `bulk-${String(n).padStart(5, '0')}`,
      agent: n % 4 ? 'other' : 'fleet-agent',
      at: t(100 + n),
    }));
    const place2 = await storeLocation(engine);
    const big = await Store.open(place2.location);
    try {
      await seed(big, more);
      const answer = await big.instances.page({ limit: 10, search: 'bulk' });
      expect(answer).toMatchObject({ total: FLEET_COUNT_CAP, capped: true, selectable: FLEET_COUNT_CAP, counts: { live: count } });
      expect(answer.rows.map((i) => i.name)).toEqual(more.slice(-10).reverse().map((v) => v.name));
      const past = await big.instances.page({ limit: 10, offset: count - 5, search: 'bulk' });
      expect(past.rows.map((i) => i.name)).toEqual(more.slice(0, 5).reverse().map((v) => v.name));
      // A word in a quarter of the rows, and one in few: exact below the cap.
      expect(await big.instances.page({ limit: 0, search: 'fleet-agent' })).toMatchObject({ total: count / 4, capped: false });
      expect(await big.instances.page({ limit: 0, search: 'bulk-0100' })).toMatchObject({ total: 10, capped: false });
      // No search: an exact count, however many.
      expect(await big.instances.page({ limit: 0 })).toMatchObject({ total: count, capped: false });
    } finally {
      await big.close();
      await place2.cleanup();
    }
  });
});

describe.each(ENGINES)('migration 9 on %s', (engine) => {
  it('fills the search text and sort keys of the rows already there', async () => {
    const place = await storeLocation(engine);
    try {
      // Rows written at version 8, as an older Outpost wrote them (no derived columns yet): raw SQL.
      const before = await Store.open(place.location, { migrations: (engine === 'sqlite' ? MIGRATIONS : POSTGRES_MIGRATIONS).filter((m) => m.version < 9) });
      const rows: [string, string, string, string | null, string | null, string | null, number | null, string | null][] = [
        ['ins_a', 'alpha-1', 'Build Bot', 'ACME GmbH', '10.0.0.9', '100.64.0.10', 4_300_000_001, '4.5101000000'],
        ['ins_b', 'beta-2', 'runner', null, '10.0.0.10', null, null, null],
        ['ins_c', 'gamma-3', 'runner', 'Globex', null, '100.64.0.9', null, '12.5'],
      ];
      for (const [n, [id, name, agent, customer, ipv4, tailnet, serverId, price]] of rows.entries()) {
        const at = t(n);
        await sql`insert into agents (id, name, customer, status, created_at, updated_at) values (${`agt_${id}`}, ${agent}, ${customer}, 'active', ${at}, ${at})`.execute(before.db);
        await sql`insert into instances (id, name, agent_id, region, server_type, image, status, hostname, public_ipv4, tailnet_ip, server_id, monthly_price_gross, created_at, updated_at)
          values (${id}, ${name}, ${`agt_${id}`}, 'fsn1', 'cx22', 'ubuntu-24.04', 'running', ${name}, ${ipv4}, ${tailnet}, ${serverId}, ${price}, ${at}, ${at})`.execute(before.db);
      }
      await before.close();

      const after = await Store.open(place.location);
      try {
        const names = async (q: Req<'instances:page'>) => (await after.instances.page(q)).rows.map((i) => i.name);
        expect(await names({ limit: 10, search: 'acme' })).toEqual(['alpha-1']);
        expect(await names({ limit: 10, search: 'BUILD bot' })).toEqual(['alpha-1']);
        expect(await names({ limit: 10, search: '4300000001' })).toEqual(['alpha-1']);
        expect(await names({ limit: 10, search: 'runner' })).toEqual(['gamma-3', 'beta-2']);
        expect(await names({ limit: 10, search: '100.64.0.9' })).toEqual(['gamma-3']);
        expect(await names({ limit: 10, sort: 'ipv4' })).toEqual(['alpha-1', 'beta-2', 'gamma-3']);
        expect(await names({ limit: 10, sort: 'tailnet' })).toEqual(['gamma-3', 'alpha-1', 'beta-2']);
        expect(await names({ limit: 10, sort: 'price', dir: 'desc' })).toEqual(['beta-2', 'gamma-3', 'alpha-1']);
        expect(await names({ limit: 10, sort: 'agent' })).toEqual(['alpha-1', 'gamma-3', 'beta-2']);
        // Written again by this version, a row keeps answering the same way.
        await after.instances.update('ins_b', { publicIpv4: '10.0.0.8' }, t(9));
        expect(await names({ limit: 10, sort: 'ipv4' })).toEqual(['beta-2', 'alpha-1', 'gamma-3']);
        expect(await names({ limit: 10, search: '10.0.0.8' })).toEqual(['beta-2']);
        expect(await after.integrityProblems()).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      await place.cleanup();
    }
  });
});
