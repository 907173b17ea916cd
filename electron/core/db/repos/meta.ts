// Facts about the store itself. `store_id` is random, made once by migration 4 when the store file
// is created (or upgraded), and never changes: it labels every server this store creates
// (`outpost.store`), so other desktops can tell whose VM it is.
import type { Database } from '../driver';

export class MetaRepo {
  private cachedStoreId: string | undefined;

  constructor(private readonly db: Database) {}

  storeId(): string {
    this.cachedStoreId ??= (this.db.prepare(`SELECT value FROM meta WHERE key = 'store_id'`).get() as { value: string }).value;
    return this.cachedStoreId;
  }
}
