// The Hetzner client: one HetznerHttp (one RateBudget) shared by servers, actions and catalog.
import { systemClock } from '../ports';
import { realSleep } from '../http/fetch';
import { ActionsApi } from './actions';
import { CatalogCache } from './catalog';
import { HetznerHttp, type HetznerHttpOptions, type Query } from './http';
import { paginate, type PaginateOptions } from './pagination';
import { ServersApi } from './servers';

export class HetznerClient {
  readonly http: HetznerHttp;
  readonly servers: ServersApi;
  readonly actions: ActionsApi;
  readonly catalog: CatalogCache;

  constructor(options: HetznerHttpOptions) {
    this.http = new HetznerHttp(options);
    this.servers = new ServersApi(this.http, options.logger, options.sleep ?? realSleep);
    this.actions = new ActionsApi(this.http);
    this.catalog = new CatalogCache(this.http, options.clock ?? systemClock);
  }

  get budget() {
    return this.http.budget;
  }

  paginate<T>(path: string, query?: Query, options?: PaginateOptions): AsyncGenerator<T, void, undefined> {
    return paginate<T>(this.http, path, query, options);
  }
}

export * from './types';
export * from './errors';
export { HetznerHttp, HETZNER_BASE_URL, buildQuery, type HetznerHttpOptions, type RequestEvent, type RequestOptions, type Query } from './http';
export { RateBudget, readRateLimitHeaders, type RateBudgetOptions, type BudgetSnapshot } from './rate-budget';
export { ServersApi, type EnsureServerOptions, type EnsureServerResult, type ListServersQuery } from './servers';
export { ActionsApi, MAX_IDS_PER_REQUEST } from './actions';
export { CatalogCache, type CatalogSnapshot, type Availability } from './catalog';
export { paginate, collect, type PaginateOptions } from './pagination';
