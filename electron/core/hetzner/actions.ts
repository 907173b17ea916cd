// Actions: single get and the batched `GET /actions?id=…` (≤ 25 ids per request, as hcloud-go v2).
// Unknown ids are simply missing from the answer; the caller (ActionWatcher) decides what that means.
import type { HetznerHttp } from './http';
import type { Action, Meta, Priority } from './types';

export const MAX_IDS_PER_REQUEST = 25;

export interface ActionCallOptions {
  signal?: AbortSignal | undefined;
  priority?: Priority;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class ActionsApi {
  constructor(private readonly http: HetznerHttp) {}

  async get(id: number, options: ActionCallOptions = {}): Promise<Action> {
    const body = await this.http.get<{ action: Action }>(`/actions/${id}`, { priority: options.priority ?? 'wait', signal: options.signal });
    return body.action;
  }

  /** One request per 25 ids (in parallel); ids the API does not know are absent from the result. */
  async getMany(ids: readonly number[], options: ActionCallOptions = {}): Promise<Action[]> {
    const unique = [...new Set(ids)];
    const batches = await Promise.all(chunk(unique, MAX_IDS_PER_REQUEST).map((batch) => this.getBatch(batch, options)));
    return batches.flat();
  }

  private async getBatch(ids: number[], options: ActionCallOptions): Promise<Action[]> {
    const out: Action[] = [];
    let page: number | null = 1;
    while (page) {
      const body: { actions: Action[]; meta?: Meta } = await this.http.get('/actions', {
        query: { id: ids, ...(page > 1 ? { page } : {}) },
        priority: options.priority ?? 'wait',
        signal: options.signal,
      });
      out.push(...body.actions);
      const next: number | null | undefined = body.meta?.pagination?.next_page;
      page = next && next > page ? next : null;
    }
    return out;
  }
}
