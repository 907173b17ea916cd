// `outpost import`: a desktop's export (format.ts) into a team store, SQLite or PostgreSQL alike, in ONE
// transaction: every row lands or none does. What differs from the source, by design:
// - the target keeps its own store id (meta); a VM the desktop created names the desktop's store in
//   instances.origin_store, so the fleet still says whose server it is (its `outpost.store` label);
// - audit entries get the target's next ids (an id is a position in one store's log, not a name);
// - one more audit entry, `store:import`, says who imported which store when — and refuses a second
//   import of the same store;
// - a live server both stores know is one row (planInstances): the history of the store that created
//   it wins over a copy adopted from its labels.
// Anything already in the target (an id, a payment reference, a live VM name) is refused before the
// first write, naming the table and the key: importing twice changes nothing.
import type { AuditEntry } from '../../../../shared/domain';
import { OutpostError } from '../../../../shared/errors';
import { MIGRATIONS } from '../migrations';
import type { Store } from '../store';
import { emptyCounts, parseExport, refuseUnfinishedJobs, TRANSFER_TABLES, type ExportHeader, type TransferCounts, type TransferRow, type TransferRows, type TransferTable } from './format';

export const IMPORT_ACTION = 'store:import';

export interface ImportOptions {
  /** Who runs the import (the audit's actor): the host account at the command line. */
  actor: { actor: string; role: AuditEntry['role'] };
  now?: () => Date;
}

/** A live server both stores had: one row now, with the history of the store that created it. */
export interface MergedVm {
  serverId: number;
  name: string;
  /** 'export': the target's adopted copy now carries the export's history; 'target': the export's adopted copy was left out. */
  history: 'export' | 'target';
}

export interface ImportReport {
  sourceStoreId: string;
  mode: ExportHeader['mode'];
  exportedAt: string;
  /** Rows written per table (merged VMs are in `merged`, not in instances). */
  counts: TransferCounts;
  merged: MergedVm[];
}

/** Something in the file is already in the target: nothing was imported. */
export class ImportClash extends OutpostError {
  constructor(
    readonly table: string,
    readonly key: string,
    message: string,
    hint: string,
  ) {
    super('conflict', `${message} Nothing was imported.`, { hint });
    this.name = 'ImportClash';
  }
}

/** The columns whose values must be new to the target (primary keys and UNIQUE columns). */
const TAKEN_KEYS: readonly [TransferTable, string][] = [
  ['agents', 'id'],
  ['payments', 'id'],
  ['payments', 'reference'],
  ['jobs', 'id'],
  ['instances', 'id'],
  ['webhook_events', 'event_id'],
];

/** Keys per IN (...) lookup and bound parameters per INSERT: far below SQLite's and PostgreSQL's limits. */
const LOOKUP_CHUNK = 500;
const PARAMETERS_PER_INSERT = 5_000;

export async function importStore(store: Store, text: string, options: ImportOptions): Promise<ImportReport> {
  const { header, rows } = parseExport(text);
  // The same schema on both sides, not merely an older one: some columns are derived by the code that
  // writes a row (the fleet's search and sort keys), and a row from another version would lack them.
  const latest = MIGRATIONS.at(-1)!.version;
  if (header.schemaVersion !== latest) {
    throw new OutpostError('invalid_input', `This export has schema version ${header.schemaVersion}; this Outpost's is ${latest}.`, {
      hint: 'Export and import with the same Outpost version: run outpost export of this version on the desktop\'s data directory (it brings the store up to date first).',
    });
  }
  refuseUnfinishedJobs(rows.jobs, 'The export');
  checkReferences(rows);
  await checkColumns(store, rows);
  if ((await store.meta.storeId()) === header.sourceStoreId) {
    throw new OutpostError('conflict', `This is store ${header.sourceStoreId} itself, the one the file was exported from. Nothing was imported.`, {
      hint: 'Import into the team\'s database (--database or OUTPOST_DATABASE_URL).',
    });
  }
  const at = (options.now?.() ?? new Date()).toISOString();
  // Everything from here runs in the transaction and may run again on PostgreSQL (a serialization
  // conflict with a team server writing at the same moment): it only reads and writes the store.
  return store.transaction(async (tx) => {
    await refuseRepeat(tx, header.sourceStoreId);
    await refuseTakenKeys(tx, rows);
    const plan = await planInstances(tx, rows.instances, header.sourceStoreId);
    const counts = emptyCounts();
    const write = async (table: TransferTable, list: TransferRow[]) => {
      counts[table] = list.length;
      await insertRows(tx, table, list);
    };
    const mapped = (id: string | number | null) => (typeof id === 'string' ? (plan.idMap.get(id) ?? id) : id);
    await write('agents', rows.agents.filter((a) => !plan.leftOutAgents.has(String(a.id))));
    await write('payments', rows.payments.map((p) => ({ ...p, instance_id: mapped(p.instance_id ?? null) })));
    await write('jobs', rows.jobs.map((j) => ({ ...j, instance_id: mapped(j.instance_id ?? null) })));
    await write('job_events', rows.job_events);
    await write('instances', plan.insert.map((i) => withCreator(i, header.sourceStoreId)));
    for (const { from, into } of plan.supersede) {
      const { id: _id, ...content } = withCreator(from, header.sourceStoreId);
      await tx.db.updateTable('instances').set(content as never).where('id', '=', into.id).execute();
      await dropIfUnused(tx, into.agent_id);
    }
    await write('audit_log', rows.audit_log.map(({ id: _id, ...entry }) => ({ ...entry, target: mapped(entry.target ?? null) })));
    await write('webhook_events', rows.webhook_events);
    await tx.audit.append({
      at,
      actor: options.actor.actor,
      role: options.actor.role,
      action: IMPORT_ACTION,
      target: header.sourceStoreId,
      targetName: `${header.mode ?? header.engine} store ${header.sourceStoreId}`,
      outcome: 'ok',
      detail: { exportedAt: header.exportedAt, schemaVersion: header.schemaVersion, outpostVersion: header.outpostVersion, counts, merged: plan.merged },
    });
    return { sourceStoreId: header.sourceStoreId, mode: header.mode, exportedAt: header.exportedAt, counts, merged: plan.merged };
  });
}

/** A VM the source created itself names the source as its creator once it lives in another store. */
function withCreator(row: TransferRow, sourceStoreId: string): TransferRow {
  return row.origin === 'local' && row.origin_store === null ? { ...row, origin_store: sourceStoreId } : row;
}

/** Rows point only at rows of the file (the target's own rows are never a parent of imported ones). */
function checkReferences(rows: TransferRows): void {
  const ids = (table: TransferTable, column = 'id') => new Set(rows[table].map((r) => r[column]));
  const unique = (table: TransferTable, column: string) => {
    if (ids(table, column).size !== rows[table].length) throw damaged(`two ${table} rows share a ${column}`);
  };
  for (const [table, column] of TAKEN_KEYS) unique(table, column);
  const payments = ids('payments');
  const agents = ids('agents');
  const jobsSeen = new Set<unknown>();
  for (const job of rows.jobs) {
    if (job.payment_id != null && !payments.has(job.payment_id)) throw damaged(`job ${String(job.id)} points at a payment the file does not hold`);
    if (job.retry_of != null && !jobsSeen.has(job.retry_of)) throw damaged(`job ${String(job.id)} retries a job that does not come before it`);
    jobsSeen.add(job.id);
  }
  for (const event of rows.job_events) if (!jobsSeen.has(event.job_id)) throw damaged(`an event of job ${String(event.job_id)}, which the file does not hold`);
  for (const instance of rows.instances) if (!agents.has(instance.agent_id)) throw damaged(`VM ${String(instance.id)} belongs to an agent the file does not hold`);
}

const damaged = (what: string) =>
  new OutpostError('corrupt', `The export does not hold together: ${what}. Nothing was imported.`, {
    hint: 'Export the store again on the desktop (outpost export --out FILE) and import that file unchanged.',
  });

/** Every column of the file exists in the target (a file from another Outpost version, or written by hand, may carry more). */
async function checkColumns(store: Store, rows: TransferRows): Promise<void> {
  const tables = await store.db.introspection.getTables();
  // PostgreSQL lists every schema's tables; the store's are in the connection's current schema.
  const schema = store.engine === 'postgres' ? (await store.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s : undefined;
  for (const table of TRANSFER_TABLES) {
    const first = rows[table][0];
    if (!first) continue;
    const meta = tables.find((t) => t.name === table && (schema === undefined || t.schema === schema));
    const known = new Set(meta?.columns.map((c) => c.name));
    const unknown = Object.keys(first).find((c) => !known.has(c));
    if (unknown) {
      throw new OutpostError('invalid_input', `The export has a column ${table}.${unknown} that this store does not have. Nothing was imported.`, {
        hint: 'Export and import with the same Outpost version.',
      });
    }
  }
}

async function refuseRepeat(tx: Store, sourceStoreId: string): Promise<void> {
  const before = await tx.db
    .selectFrom('audit_log')
    .select(['at', 'actor'])
    .where('action', '=', IMPORT_ACTION)
    .where('target', '=', sourceStoreId)
    .where('outcome', '=', 'ok')
    .orderBy('id')
    .executeTakeFirst();
  if (!before) return;
  throw new ImportClash(
    'audit_log',
    `${IMPORT_ACTION} ${sourceStoreId}`,
    `Store ${sourceStoreId} was already imported into this database (${before.at}, by ${before.actor}).`,
    'A store is imported once: its jobs, payments and VMs are here already. Work on the team server from now on.',
  );
}

async function refuseTakenKeys(tx: Store, rows: TransferRows): Promise<void> {
  for (const [table, column] of TAKEN_KEYS) {
    const values = rows[table].map((r) => r[column]).filter((v): v is string => typeof v === 'string');
    for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
      const chunk = values.slice(i, i + LOOKUP_CHUNK);
      const found = await tx.db
        .selectFrom(table)
        .select(`${column} as key` as never)
        .where(column as never, 'in', chunk as never)
        .execute();
      if (found.length === 0) continue;
      const taken = new Set((found as unknown as { key: string }[]).map((r) => r.key));
      const first = chunk.find((v) => taken.has(v))!;
      throw new ImportClash(table, `${column} ${first}`, `The team store already has ${table} ${column} ${first}, which the export holds too.`, takenHint(table, column));
    }
  }
}

function takenHint(table: TransferTable, column: string): string {
  if (table === 'payments' && column === 'reference') {
    return 'One payment reference is one customer payment; two stores holding it means it was recorded on both (or this store was imported before). Compare Payments → that reference in both; an import never merges two payment records.';
  }
  return 'This store (or an earlier copy of it) was imported before: the team store holds its rows already. Work on the team server from now on; an import never overwrites a row.';
}

interface InstancePlan {
  /** The export's VMs that become new rows. */
  insert: TransferRow[];
  /** The target's adopted copies that take the export's row (history and all), keeping their own id. */
  supersede: { from: TransferRow; into: TargetInstance }[];
  /** The export's instance ids that now live under a target id: its jobs, payments and audit follow. */
  idMap: Map<string, string>;
  merged: MergedVm[];
  /** Agents of the export that only left-out copies had. */
  leftOutAgents: Set<string>;
}

interface TargetInstance {
  id: string;
  name: string;
  server_id: number | null;
  agent_id: string;
  origin: 'local' | 'adopted';
  origin_store: string | null;
}

/**
 * One live server, one row. Several desktops sharing a fleet adopt each other's servers from their
 * labels (README "One fleet, many desktops"), and a team server's fleet sync does the same, so a
 * store being imported often meets a copy of its own VM, or brings a copy of one the target has:
 * - the export's row is an adopted copy: left out; the target's row stays (the export's jobs,
 *   payments and audit entries about it now point at the target's row);
 * - the target's row is an adopted copy whose labels name the exporting store as creator: it takes the
 *   export's row (status, job, agent, history), keeping its id so the target's own entries still fit;
 * - anything else (both stores claim to have created the server; a live name taken by another VM) is
 *   refused.
 */
async function planInstances(tx: Store, instances: TransferRow[], sourceStoreId: string): Promise<InstancePlan> {
  const live = instances.filter((r) => r.status !== 'destroyed');
  const lookup = async (column: 'server_id' | 'name', values: (string | number)[]): Promise<TargetInstance[]> => {
    const found: TargetInstance[] = [];
    for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
      const chunk = values.slice(i, i + LOOKUP_CHUNK) as never[];
      found.push(
        ...(await tx.db
          .selectFrom('instances')
          .select(['id', 'name', 'server_id', 'agent_id', 'origin', 'origin_store'])
          .where('status', '<>', 'destroyed')
          .where(column, 'in', chunk)
          .execute()),
      );
    }
    return found;
  };
  const byServer = new Map((await lookup('server_id', live.map((r) => r.server_id).filter((v): v is number => typeof v === 'number'))).map((t) => [t.server_id, t]));
  const byName = new Map((await lookup('name', live.map((r) => String(r.name)))).map((t) => [t.name, t]));

  const plan: InstancePlan = { insert: [], supersede: [], idMap: new Map(), merged: [], leftOutAgents: new Set() };
  const leftOut = new Set<unknown>();
  for (const r of live) {
    const serverId = typeof r.server_id === 'number' ? r.server_id : null;
    const same = serverId === null ? undefined : byServer.get(serverId);
    if (same && serverId !== null) {
      if (r.origin === 'adopted') {
        leftOut.add(r.id);
        plan.idMap.set(String(r.id), same.id);
        plan.merged.push({ serverId, name: same.name, history: 'target' });
        continue;
      }
      if (same.origin === 'adopted' && same.origin_store === sourceStoreId) {
        plan.supersede.push({ from: r, into: same });
        plan.idMap.set(String(r.id), same.id);
        plan.merged.push({ serverId, name: String(r.name), history: 'export' });
      } else {
        throw new ImportClash(
          'instances',
          `server_id ${serverId}`,
          `Server ${serverId} is a live VM in both stores (${String(r.name)} in the export, ${same.name} here), and each says its own store created it.`,
          'One server has one creator: check its outpost.store label in the Hetzner console, destroy the wrong record\'s VM only if the server is really a different one, then import again.',
        );
      }
    }
    const named = byName.get(String(r.name));
    if (named && named.id !== same?.id) {
      throw new ImportClash(
        'instances',
        `name ${String(r.name)}`,
        `A live VM named ${String(r.name)} is in the team store already, on another server.`,
        'A live VM name is unique in a store. Destroy one of the two VMs (on its own store) or wait until one is destroyed, then import again.',
      );
    }
  }
  const superseded = new Set(plan.supersede.map((s) => s.from.id));
  plan.insert = instances.filter((r) => !leftOut.has(r.id) && !superseded.has(r.id));
  // An agent made only for a left-out copy goes with it; one that still has a VM here stays.
  const kept = new Set(instances.filter((r) => !leftOut.has(r.id)).map((r) => String(r.agent_id)));
  for (const r of instances) if (leftOut.has(r.id) && !kept.has(String(r.agent_id))) plan.leftOutAgents.add(String(r.agent_id));
  return plan;
}

/** The agent row an adopted copy had, once no VM uses it any more. */
async function dropIfUnused(tx: Store, agentId: string): Promise<void> {
  const user = await tx.db.selectFrom('instances').select('id').where('agent_id', '=', agentId).limit(1).executeTakeFirst();
  if (!user) await tx.db.deleteFrom('agents').where('id', '=', agentId).execute();
}

async function insertRows(tx: Store, table: TransferTable, rows: TransferRow[]): Promise<void> {
  if (rows.length === 0) return;
  const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += perInsert) {
    await tx.db
      .insertInto(table)
      .values(rows.slice(i, i + perInsert) as never)
      .execute();
  }
}
