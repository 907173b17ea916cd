// instances:page in SQL: the Fleet's filters, one sort and a window of rows, answered from indexes so
// that 100,000 instances cost what 100 do (migration 9 has the indexes). Written once for both
// engines, except one accelerator: SQLite finds search words through its FTS5 trigram index, which
// PostgreSQL does not have (its pg_trgm index, when present, serves the same LIKE without a change).
//
// How each part stays cheap:
// - the window: ids first, from one index in sort order (ties by age, then id), then the full rows of
//   those ids only, so joins and subqueries run for the rows shown, never for the rows skipped;
// - counts of the whole fleet: count(*), the ended ones through the status index, the drifted ones
//   through a partial index; the default view's total is their difference;
// - search: a word of 3+ characters is looked up in the trigram index first. A word found in few rows
//   (NARROW) is answered from those rows alone; a common word is read in sort order, stopping at the
//   window's end, and counted from the index up to FLEET_COUNT_CAP ("more than 1,000").
import { sql, type Expression, type SqlBool } from 'kysely';
import type { InstancePageQuery } from '../../../../shared/contract';
import type { z } from 'zod';
import { FLEET_COUNT_CAP, LIVE_STATUSES, searchWords, shownStatuses, type FleetSortKey } from '../../../../shared/fleet-query';
import { ENDED_INSTANCE_STATUSES } from '../../../../shared/instance-status';
import type { Instance } from '../../../../shared/domain';
import type { Db } from '../engine';
import { containsFolded } from './match';

export type PageQuery = z.output<typeof InstancePageQuery>;

export interface InstancePageAnswer {
  rows: Instance[];
  offset: number;
  total: number;
  capped: boolean;
  selectable: number;
  counts: { live: number; ended: number; drift: number };
}

/** A search word found in at most this many rows is answered from those rows alone (sorted in memory by SQLite). */
export const NARROW = 2000;

type Cond = Expression<SqlBool>;

const col = (name: string) => sql.ref<string | null>(name);

/** The sort's column; `age` ascending is the youngest first, so it runs against created_at. */
const SORT_COLUMN: Record<FleetSortKey, string> = {
  name: 'i.name',
  agent: 'i.agent_sort',
  region: 'i.region',
  type: 'i.server_type',
  status: 'i.status',
  ipv4: 'i.ipv4_sort',
  tailnet: 'i.tailnet_sort',
  enrollment: 'i.enrollment',
  age: 'i.created_at',
  price: 'i.price_sort',
};

/** ORDER BY terms: the key, then age in the same sense (youngest first when ascending), then id. */
export function orderTerms(key: FleetSortKey, dir: 'asc' | 'desc'): [string, 'asc' | 'desc'][] {
  const flip = (d: 'asc' | 'desc') => (d === 'asc' ? 'desc' : 'asc');
  if (key === 'age') return [['i.created_at', flip(dir)], ['i.id', flip(dir)]];
  return [[SORT_COLUMN[key], dir], ['i.created_at', flip(dir)], ['i.id', flip(dir)]];
}

/** The filters on instance columns (no search). */
function filterConds(q: PageQuery): Cond[] {
  const out: Cond[] = [];
  const statuses = shownStatuses(q);
  // The default view names the statuses it hides: NOT IN cannot be sought in an index, so the planner
  // walks the sort's index (which is what a window wants) instead of sorting every live row.
  if (statuses === LIVE_STATUSES) out.push(sql<SqlBool>`${col('i.status')} not in (${sql.join([...ENDED_INSTANCE_STATUSES])})`);
  else if (statuses) out.push(sql<SqlBool>`${col('i.status')} in (${sql.join([...statuses])})`);
  // A literal 1: SQLite uses the partial index (WHERE drift = 1) only for that very term.
  if (q.drift) out.push(sql<SqlBool>`${col('i.drift')} = 1 and ${col('i.status')} not in (${sql.join([...ENDED_INSTANCE_STATUSES])})`);
  if (q.region) out.push(sql<SqlBool>`${col('i.region')} = ${q.region}`);
  if (q.enrollment) out.push(sql<SqlBool>`${col('i.enrollment')} = ${q.enrollment}`);
  if (q.ids) out.push(q.ids.length ? sql<SqlBool>`${col('i.id')} in (${sql.join([...q.ids])})` : sql<SqlBool>`1 = 0`);
  return out;
}

const all = (conds: readonly Cond[]): Cond => (conds.length ? sql<SqlBool>`${sql.join(conds.map((c) => sql`(${c})`), sql` and `)}` : sql<SqlBool>`1 = 1`);

interface Counted {
  n: number;
  capped: boolean;
}

/** A search's count, the same on both engines whichever way it was counted: at most FLEET_COUNT_CAP. */
const capped = (n: number): Counted => (n > FLEET_COUNT_CAP ? { n: FLEET_COUNT_CAP, capped: true } : { n, capped: false });

/** Where the rows come from for one query: the conditions, and how to count them (with more conditions). */
interface Plan {
  /** FROM instances i, or driven by the trigram index's matches of a pattern. */
  from: 'instances' | { fts: string };
  where: Cond[];
  count(extra: Cond[]): Promise<Counted>;
  /** Every instance, ended ones too: its counts are the fleet's. */
  everything?: boolean;
}

export class InstancePages {
  constructor(
    private readonly db: Db,
    private readonly engine: 'sqlite' | 'postgres',
  ) {}

  async page(q: PageQuery, rowsOf: (ids: string[]) => Promise<Instance[]>): Promise<InstancePageAnswer> {
    const offset = q.offset ?? 0;
    const counts = await this.fleetCounts();
    const plan = await this.plan(q, counts);
    const ids = q.limit > 0 ? await this.windowIds(plan, q, offset) : [];
    const total = await plan.count([]);
    const statuses = shownStatuses(q);
    const selectable: Counted =
      statuses !== null && statuses.every((s) => LIVE_STATUSES.includes(s))
        ? total
        : statuses !== null && statuses.every((s) => !LIVE_STATUSES.includes(s))
          ? { n: 0, capped: false }
          : plan.everything
            ? { n: counts.live, capped: false }
            : await plan.count([sql<SqlBool>`${col('i.status')} not in (${sql.join([...ENDED_INSTANCE_STATUSES])})`]);
    const rows = ids.length ? await rowsOf(ids) : [];
    const position = new Map(ids.map((id, n) => [id, n]));
    rows.sort((x, y) => position.get(x.id)! - position.get(y.id)!);
    return { rows, offset, total: total.n, capped: total.capped, selectable: selectable.n, counts };
  }

  /** The whole fleet's counts, each from an index. */
  async fleetCounts(): Promise<InstancePageAnswer['counts']> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('instances').select(eb.fn.countAll<number>().as('n')).as('all'),
        eb
          .selectFrom('instances')
          .select(eb.fn.countAll<number>().as('n'))
          .where('status', 'in', [...ENDED_INSTANCE_STATUSES])
          .as('ended'),
        eb
          .selectFrom('instances as i')
          .select(eb.fn.countAll<number>().as('n'))
          .where(sql<SqlBool>`${col('i.drift')} = 1 and ${col('i.status')} not in (${sql.join([...ENDED_INSTANCE_STATUSES])})`)
          .as('drift'),
      ])
      .executeTakeFirstOrThrow();
    const ended = Number(row.ended);
    return { live: Number(row.all) - ended, ended, drift: Number(row.drift) };
  }

  private async plan(q: PageQuery, counts: InstancePageAnswer['counts']): Promise<Plan> {
    const filters = filterConds(q);
    const words = searchWords(q.search);
    if (words.length === 0) {
      const plain = filters.length === 1 && shownStatuses(q) === LIVE_STATUSES ? counts.live : filters.length === 0 ? counts.live + counts.ended : null;
      return {
        from: 'instances',
        where: filters,
        everything: filters.length === 0,
        count: async (extra) => (extra.length === 0 && plain !== null ? { n: plain, capped: false } : { n: await this.countExact('instances', [...filters, ...extra]), capped: false }),
      };
    }
    // Words and the stored text are folded alike (shared/fleet-query.ts).
    const matches = words.map((w) => containsFolded(col('i.search_text'), w));
    const where = [...filters, ...matches];
    const indexed = this.engine === 'sqlite' ? ftsWord(words) : null;
    if (indexed === null) return { from: 'instances', where, count: (extra) => this.countCapped('instances', [...where, ...extra]) };
    const pattern = `%${indexed}%`;
    // One look in the index: how many rows hold the word (up to NARROW + 1), and which, as one string.
    const probe = await sql<{ n: number; rowids: string | null }>`select count(*) as n, group_concat(rowid) as rowids from (select rowid from instances_search where search_text like ${pattern} limit ${NARROW + 1}) as probe`.execute(this.db);
    // Few rows hold the word: the window and the count read those rows alone (their rowids, as one
    // JSON parameter). Many: the window walks the sort's index (matches are dense, it stops soon) and
    // the count walks the trigram index up to the cap.
    if (Number(probe.rows[0]?.n ?? 0) <= NARROW) {
      const few = [sql<SqlBool>`${col('i.rowid')} in (select value from json_each(${`[${probe.rows[0]?.rowids ?? ''}]`}))`, ...where];
      return { from: 'instances', where: few, count: async (extra) => capped(await this.countExact('instances', [...few, ...extra])) };
    }
    return { from: 'instances', where, count: (extra) => this.countCapped({ fts: pattern }, [...where, ...extra]) };
  }

  /**
   * FROM instances i, or FROM the trigram index's matches CROSS JOIN instances i: SQLite keeps the
   * order of a CROSS JOIN, so the index drives and only its matches are read.
   */
  private from(from: Plan['from']) {
    return from === 'instances' ? sql`instances as i` : sql`instances_search as f cross join instances as i`;
  }

  private where(from: Plan['from'], where: Cond[]) {
    const conds = from === 'instances' ? where : [sql<SqlBool>`${col('i.rowid')} = ${col('f.rowid')}`, sql<SqlBool>`${col('f.search_text')} like ${from.fts}`, ...where];
    return all(conds);
  }

  private async windowIds(plan: Plan, q: PageQuery, offset: number): Promise<string[]> {
    const key = q.sort ?? 'age';
    const order = sql.join(orderTerms(key, q.dir ?? 'asc').map(([column, dir]) => sql`${col(column)} ${sql.raw(dir)}`));
    const { rows } = await sql<{ id: string }>`select ${col('i.id')} as id from ${this.from(plan.from)} where ${this.where(plan.from, plan.where)} order by ${order} limit ${q.limit} offset ${offset}`.execute(this.db);
    return rows.map((r) => r.id);
  }

  private async countExact(from: Plan['from'], where: Cond[]): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${this.from(from)} where ${this.where(from, where)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /** Counts up to FLEET_COUNT_CAP and stops: a search matching more says "more than". */
  private async countCapped(from: Plan['from'], where: Cond[]): Promise<Counted> {
    const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 as one from ${this.from(from)} where ${this.where(from, where)} limit ${FLEET_COUNT_CAP + 1}) as hits`.execute(this.db);
    return capped(Number(rows[0]?.n ?? 0));
  }
}

/**
 * The word the trigram index looks up: the longest of 3+ characters without LIKE's wildcards (FTS5
 * takes the pattern as it is, with no ESCAPE); null when there is none.
 */
export function ftsWord(words: readonly string[]): string | null {
  const usable = words.filter((w) => [...w].length >= 3 && !/[%_\\]/.test(w));
  return usable.length ? usable.reduce((a, b) => ([...b].length > [...a].length ? b : a)) : null;
}
