import type { Selectable } from 'kysely';
import type { AuditEntry } from '../../../../shared/domain';
import type { Db } from '../engine';
import type { AuditLogTable } from '../tables';
import { containsInsensitive } from './match';

type AuditRow = Selectable<AuditLogTable>;

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  target?: string | undefined;
  outcome?: AuditEntry['outcome'] | undefined;
  /** ISO instants (any offset); normalised to UTC before comparing. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
}

const toEntry = ({ target_name, ...r }: AuditRow): AuditEntry => ({
  ...r,
  role: r.role as AuditEntry['role'],
  targetName: target_name,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export class AuditRepo {
  constructor(private readonly db: Db) {}

  async append(e: NewAuditEntry): Promise<number> {
    const row = await this.db
      .insertInto('audit_log')
      .values({ at: e.at, actor: e.actor, role: e.role, action: e.action, target: e.target, target_name: e.targetName, outcome: e.outcome, detail: JSON.stringify(e.detail) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /**
   * Newest first. Actor and target name match in part and in any case (people type "ada" for "Ada
   * Lovelace"); a target id matches whole; outcome exactly; from/to bound `at` (ISO, compared as text,
   * which orders as time since every entry is written by toISOString).
   */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.action) query = query.where('action', '=', filter.action);
    const actor = filter.actor;
    if (actor) query = query.where((eb) => containsInsensitive(eb.ref('actor'), actor));
    // A target is looked for by id or by name: support knows a VM by its name.
    const target = filter.target;
    if (target) query = query.where((eb) => eb.or([eb('target', '=', target), containsInsensitive(eb.ref('target_name'), target)]));
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.from) query = query.where('at', '>=', new Date(filter.from).toISOString());
    if (filter.to) query = query.where('at', '<=', new Date(filter.to).toISOString());
    const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 500).execute();
    return rows.map(toEntry);
  }
}
