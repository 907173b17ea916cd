// Async iteration over Hetzner list endpoints: follows meta.pagination.next_page until it is null
// or 0 (as hcloud-go does), 50 per page (the maximum), so a fleet list costs as few requests as it can.
import type { HetznerHttp, Query, RequestOptions } from './http';
import type { Meta } from './types';

export interface PaginateOptions extends Omit<RequestOptions, 'body' | 'query' | 'idempotent'> {
  /** Key of the array in the response; default: the path's last segment (`/server_types` → `server_types`). */
  key?: string;
  perPage?: number;
}

export async function* paginate<T>(
  http: HetznerHttp,
  path: string,
  query: Query = {},
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const key = options.key ?? path.split('/').filter(Boolean).at(-1) ?? '';
  const { key: _key, perPage, ...request } = options;
  let page: number | null = 1;
  while (page) {
    const body: Record<string, unknown> & { meta?: Meta } = await http.get(path, {
      ...request,
      query: { ...query, page, per_page: perPage ?? 50 },
    });
    const items = body[key];
    if (!Array.isArray(items)) return;
    for (const item of items) yield item as T;
    const next: number | null | undefined = body.meta?.pagination?.next_page;
    page = next && next > page ? next : null;
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
