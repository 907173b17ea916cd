import type { Db } from '../engine';

export type CatalogKind = 'location' | 'server_type' | 'image';

/**
 * The cached Hetzner catalog. Entries are stored as the API returned them (JSON), keyed by name
 * (images by `name@architecture`, since image names repeat per architecture).
 */
export class CatalogRepo {
  constructor(private readonly db: Db) {}

  /**
   * Swaps the kind's entries for `entries`: a delete, then the inserts. Call it inside a store
   * transaction (repositories do not open their own), so a reader never sees the kind half-replaced.
   */
  async replace(kind: CatalogKind, entries: { name: string; data: unknown }[], at: string): Promise<void> {
    await this.db.deleteFrom('catalog').where('kind', '=', kind).execute();
    if (entries.length === 0) return;
    await this.db
      .insertInto('catalog')
      .values(entries.map((e) => ({ kind, name: e.name, data: JSON.stringify(e.data), refreshed_at: at })))
      .execute();
  }

  /**
   * By name, in code-point order. Sorted here rather than by ORDER BY: PostgreSQL orders text by the
   * database's collation (en_US skips '-', '.' and case on a first pass), SQLite by bytes, and the
   * catalog must list the same on both.
   */
  async list<T>(kind: CatalogKind): Promise<T[]> {
    const rows = await this.db.selectFrom('catalog').select(['name', 'data']).where('kind', '=', kind).execute();
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((r) => JSON.parse(r.data) as T);
  }

  async refreshedAt(kind: CatalogKind): Promise<string | null> {
    const row = await this.db
      .selectFrom('catalog')
      .select((eb) => eb.fn.min('refreshed_at').as('at'))
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
    return row.at ?? null;
  }
}
