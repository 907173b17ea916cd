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

export class AuditRepo {
  constructor(private readonly db: Database) {}

  append(e: NewAuditEntry): number {
    const result = this.db
      .prepare('INSERT INTO audit_log (at, actor, role, action, target, target_name, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.role, e.action, e.target, e.targetName, e.outcome, JSON.stringify(e.detail));
    return Number(result.lastInsertRowid);
  }

  list(filter: { action?: string; actor?: string; target?: string; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const values: unknown[] = [];
    for (const column of ['action', 'actor'] as const) {
      const value = filter[column];
      if (value === undefined || value === '') continue;
      where.push(`${column} = ?`);
      values.push(value);
    }
    // A target is looked for by id or by name: support knows a VM by its name.
    if (filter.target) {
      where.push('(target = ? OR target_name = ?)');
      values.push(filter.target, filter.target);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...values, filter.limit ?? 500) as AuditRow[]).map(({ target_name, ...r }) => ({
      ...r,
      targetName: target_name,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
