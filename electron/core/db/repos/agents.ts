import type { Selectable } from 'kysely';
import type { Db } from '../engine';
import type { AgentsTable } from '../tables';

export type AgentStatus = AgentsTable['status'];

export type AgentRow = Selectable<AgentsTable>;

export class AgentsRepo {
  constructor(private readonly db: Db) {}

  async insert(agent: { id: string; name: string; customer: string | null; at: string }): Promise<void> {
    await this.db
      .insertInto('agents')
      .values({ id: agent.id, name: agent.name, customer: agent.customer, status: 'pending', created_at: agent.at, updated_at: agent.at })
      .execute();
  }

  async get(id: string): Promise<AgentRow | undefined> {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setStatus(id: string, status: AgentStatus, at: string): Promise<void> {
    await this.db.updateTable('agents').set({ status, updated_at: at }).where('id', '=', id).execute();
  }
}
