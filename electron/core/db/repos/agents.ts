import type { Database } from '../driver';

export type AgentStatus = 'pending' | 'active' | 'failed' | 'destroyed';

export interface AgentRow {
  id: string;
  name: string;
  customer: string | null;
  status: AgentStatus;
  created_at: string;
  updated_at: string;
}

export class AgentsRepo {
  constructor(private readonly db: Database) {}

  insert(agent: { id: string; name: string; customer: string | null; at: string }): void {
    this.db
      .prepare(`INSERT INTO agents (id, name, customer, status, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)`)
      .run(agent.id, agent.name, agent.customer, agent.at, agent.at);
  }

  get(id: string): AgentRow | undefined {
    return this.db.prepare('SELECT * FROM agents WHERE id = ?').get(id) as AgentRow | undefined;
  }

  setStatus(id: string, status: AgentStatus, at: string): void {
    this.db.prepare('UPDATE agents SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
  }
}
