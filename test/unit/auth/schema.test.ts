import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { POSTGRES_MIGRATIONS } from '../../../electron/core/db/migrations-postgres';

/** Column names of `table` as a migration's CREATE TABLE declares them. */
function columns(sql: string, table: string): string[] {
  const body = new RegExp(`CREATE TABLE ${table} \\(([\\s\\S]*?)\\n\\s*\\)`, 'm').exec(sql)?.[1];
  if (!body) throw new Error(`no CREATE TABLE ${table}`);
  return body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0]!)
    .filter((word) => /^[a-z_]+$/.test(word));
}

describe('migration 7: team users', () => {
  const sqlite = MIGRATIONS.find((m) => m.version === 7);
  const postgres = POSTGRES_MIGRATIONS.find((m) => m.version === 7);

  it('is in both engines\' lists under one version and name', () => {
    expect(sqlite?.name).toBe('team users');
    expect(postgres?.name).toBe('team users');
  });

  it('declares the same tables and columns on both engines', () => {
    for (const table of ['users', 'invites', 'sessions', 'api_tokens']) {
      expect(columns(postgres!.sql, table), table).toEqual(columns(sqlite!.sql, table));
    }
    expect(columns(sqlite!.sql, 'users')).toEqual(['id', 'name', 'name_key', 'role', 'password_hash', 'created_at', 'updated_at', 'disabled_at']);
    for (const sql of [sqlite!.sql, postgres!.sql]) {
      expect(sql).toContain("CHECK (role IN ('operator','support','payments'))");
      expect(sql).toContain('name_key       TEXT NOT NULL UNIQUE');
      expect(sql).toContain('CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(user_id, name) WHERE revoked_at IS NULL;');
    }
  });
});
