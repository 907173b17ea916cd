import type { AuditEntry } from '../../../../shared/domain';
import type { Database } from '../driver';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  role: AuditEntry['role'];
  action: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  detail: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export class AuditRepo {
  constructor(private readonly db: Database) {}

  append(e: NewAuditEntry): number {
    const result = this.db
      .prepare('INSERT INTO audit_log (at, actor, role, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.role, e.action, e.target, e.outcome, JSON.stringify(e.detail));
    return Number(result.lastInsertRowid);
  }

  list(filter: { action?: string; actor?: string; target?: string; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const values: unknown[] = [];
    for (const column of ['action', 'actor', 'target'] as const) {
      const value = filter[column];
      if (value === undefined || value === '') continue;
      where.push(`${column} = ?`);
      values.push(value);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...values, filter.limit ?? 500) as AuditRow[]).map((r) => ({
      ...r,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
