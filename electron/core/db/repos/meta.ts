// Facts about the store itself. `store_id` is random, made once by migration 4 when the store file
// is created (or upgraded), and never changes: it labels every server this store creates
// (`outpost.store`), so other desktops can tell whose VM it is.
import type { Db } from '../engine';

export class MetaRepo {
  constructor(private readonly db: Db) {}

  async storeId(): Promise<string> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', 'store_id').executeTakeFirstOrThrow();
    return row.value;
  }
}
