import type { Database } from '../driver';

export type CatalogKind = 'location' | 'server_type' | 'image';

/**
 * The cached Hetzner catalog. Entries are stored as the API returned them (JSON), keyed by name
 * (images by `name@architecture`, since image names repeat per architecture).
 */
export class CatalogRepo {
  constructor(private readonly db: Database) {}

  replace(kind: CatalogKind, entries: { name: string; data: unknown }[], at: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalog WHERE kind = ?').run(kind);
      const insert = this.db.prepare('INSERT INTO catalog (kind, name, data, refreshed_at) VALUES (?, ?, ?, ?)');
      for (const e of entries) insert.run(kind, e.name, JSON.stringify(e.data), at);
    }).immediate();
  }

  list<T>(kind: CatalogKind): T[] {
    const rows = this.db.prepare('SELECT data FROM catalog WHERE kind = ? ORDER BY name').all(kind) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  refreshedAt(kind: CatalogKind): string | null {
    const row = this.db.prepare('SELECT MIN(refreshed_at) AS at FROM catalog WHERE kind = ?').get(kind) as { at: string | null };
    return row.at;
  }
}
