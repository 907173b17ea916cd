import type { AuditEntry } from '../../../../shared/domain';
import type { Database } from '../driver';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  role: AuditEntry['role'];
  action: string;
  target: string | null;
  target_name: string | null;
  outcome: AuditEntry['outcome'];
  detail: string;
}

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

export class AuditRepo {
  constructor(private readonly db: Database) {}

  append(e: NewAuditEntry): number {
    const result = this.db
      .prepare('INSERT INTO audit_log (at, actor, role, action, target, target_name, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.role, e.action, e.target, e.targetName, e.outcome, JSON.stringify(e.detail));
    return Number(result.lastInsertRowid);
  }

  /**
   * Newest first. Actor and target name match in part and in any case (people type "ada" for "Ada
   * Lovelace"); a target id matches whole; outcome exactly; from/to bound `at` (ISO, compared as text,
   * which orders as time since every entry is written by toISOString).
   */
  list(filter: AuditFilter = {}): AuditEntry[] {
    const where: string[] = [];
    const values: unknown[] = [];
    const like = (v: string) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (filter.action) {
      where.push('action = ?');
      values.push(filter.action);
    }
    if (filter.actor) {
      where.push("actor LIKE ? ESCAPE '\\'");
      values.push(like(filter.actor));
    }
    // A target is looked for by id or by name: support knows a VM by its name.
    if (filter.target) {
      where.push("(target = ? OR target_name LIKE ? ESCAPE '\\')");
      values.push(filter.target, like(filter.target));
    }
    if (filter.outcome) {
      where.push('outcome = ?');
      values.push(filter.outcome);
    }
    if (filter.from) {
      where.push('at >= ?');
      values.push(new Date(filter.from).toISOString());
    }
    if (filter.to) {
      where.push('at <= ?');
      values.push(new Date(filter.to).toISOString());
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...values, filter.limit ?? 500) as AuditRow[]).map(({ target_name, ...r }) => ({
      ...r,
      targetName: target_name,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
