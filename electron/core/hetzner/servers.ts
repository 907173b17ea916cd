// Servers: create (never repeated blindly), look up by label, get, list, delete.
// `ensureServer` is the create the pipeline should use: label lookup first, then POST, and after an
// ambiguous failure another lookup before any second POST (DESIGN §3 step 4: no duplicate, no orphan).
// The first lookup is skipped only when the caller knows nothing was ever posted for the selector
// (`firstPost`: a job's first create), where it could not find anything and would cost a request of
// Hetzner's hourly budget per VM.
// A 503 `unavailable` is retried the same way (backoff, lookup, POST), up to maxPosts.
import type { Logger } from '../log';
import { realSleep, type SleepFn } from '../http/fetch';
import { reportWait } from '../wait-report';
import { HetznerError, isAmbiguousCreate } from './errors';
import type { HetznerHttp } from './http';
import { collect, paginate } from './pagination';
import type { Action, CreateServerRequest, CreateServerResponse, Server, ServerStatus } from './types';

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface ListServersQuery {
  labelSelector?: string;
  name?: string;
  status?: ServerStatus[];
  sort?: string;
}

export interface EnsureServerResult {
  server: Server;
  /** create_server + next_actions for a fresh create; the server's actions when it already existed. */
  actions: Action[];
  /** 'created': our POST answered. 'found': the server already existed (before or after an ambiguous POST). */
  outcome: 'created' | 'found';
  /** POSTs sent by this call (0 when found up front). */
  posts: number;
}

export interface EnsureServerOptions extends CallOptions {
  /** Unique selector for this server, e.g. `outpost.job=<jobId>`. */
  labelSelector: string;
  /**
   * Nothing was ever posted for this selector (a job's first create, journaled before any POST): the
   * first POST goes without a lookup. Every later POST (after an ambiguous answer or a 503) still
   * looks first. Default false: look first.
   */
  firstPost?: boolean;
  /** POSTs at most (each only after a lookup found nothing). Default 3. */
  maxPosts?: number;
  /** Lookups after an ambiguous POST before concluding it did nothing. Default 3. */
  lookups?: number;
  /** Pause between those lookups (the create may land a moment later). Default 2000 ms. */
  lookupDelayMs?: number;
}

export class ServersApi {
  constructor(
    private readonly http: HetznerHttp,
    private readonly logger?: Logger,
    private readonly sleep: SleepFn = realSleep,
  ) {}

  /**
   * POST /servers, sent once. A timeout, reset, 5xx or unreadable 2xx throws AmbiguousCreateError
   * (`isAmbiguousCreate(err)`): the server may exist; look it up by label before trying again.
   * 429/`conflict` refusals are retried (they prove nothing was created).
   */
  create(request: CreateServerRequest, options: CallOptions = {}): Promise<CreateServerResponse> {
    return this.http.request<CreateServerResponse>('POST', '/servers', {
      body: request,
      priority: 'mutation',
      idempotent: false,
      signal: options.signal,
    });
  }

  async get(id: number, options: CallOptions & { priority?: 'wait' | 'sync' } = {}): Promise<Server> {
    const body = await this.http.get<{ server: Server }>(`/servers/${id}`, { priority: options.priority ?? 'wait', signal: options.signal });
    return body.server;
  }

  /** All servers matching, every page. */
  list(query: ListServersQuery = {}, options: CallOptions & { priority?: 'wait' | 'sync' } = {}): Promise<Server[]> {
    return collect(
      paginate<Server>(
        this.http,
        '/servers',
        { label_selector: query.labelSelector, name: query.name, status: query.status, sort: query.sort ?? 'id:asc' },
        { priority: options.priority ?? 'sync', signal: options.signal },
      ),
    );
  }

  /** The oldest server matching the selector, or null. Priority 'mutation': it gates a create. */
  async findServerByLabel(labelSelector: string, options: CallOptions = {}): Promise<Server | null> {
    const body = await this.http.get<{ servers: Server[] }>('/servers', {
      query: { label_selector: labelSelector, sort: 'id:asc', per_page: 50 },
      priority: 'mutation',
      signal: options.signal,
    });
    if (body.servers.length > 1) {
      this.logger?.warn('hetzner: several servers match one unique selector', { labelSelector, ids: body.servers.map((s) => s.id) });
    }
    return body.servers[0] ?? null;
  }

  /** DELETE /servers/{id} → the delete_server action; null when the server is already gone (404). */
  async delete(id: number, options: CallOptions = {}): Promise<Action | null> {
    try {
      const body = await this.http.request<{ action: Action }>('DELETE', `/servers/${id}`, { priority: 'mutation', signal: options.signal });
      return body.action;
    } catch (err) {
      if (err instanceof HetznerError && err.status === 404) return null;
      throw err;
    }
  }

  /** The server's actions, newest first (for resuming a wait after a crash or a found create). */
  actions(id: number, options: CallOptions & { status?: Action['status'][] } = {}): Promise<Action[]> {
    return collect(
      paginate<Action>(this.http, `/servers/${id}/actions`, { status: options.status, sort: 'id:desc' }, { priority: 'wait', signal: options.signal }),
    );
  }

  /** Idempotent create keyed by a unique label selector. See EnsureServerOptions. */
  async ensureServer(request: CreateServerRequest, options: EnsureServerOptions): Promise<EnsureServerResult> {
    const maxPosts = options.maxPosts ?? 3;
    const found = async (posts: number): Promise<EnsureServerResult | null> => {
      const server = await this.findServerByLabel(options.labelSelector, options);
      if (!server) return null;
      const actions = await this.actions(server.id, options);
      return { server, actions, outcome: 'found', posts };
    };
    if (!options.firstPost) {
      const existing = await found(0);
      if (existing) return existing;
    }

    let posts = 0;
    let ambiguous = false;
    for (;;) {
      posts += 1;
      try {
        const created = await this.create(request, options);
        return { server: created.server, actions: [created.action, ...created.next_actions], outcome: 'created', posts };
      } catch (err) {
        // A name collision after an ambiguous POST is almost surely our own earlier create landing.
        const ourEarlierCreate = ambiguous && err instanceof HetznerError && err.apiCode === 'uniqueness_error';
        // 503 `unavailable`: Hetzner's "not now", which made nothing. Worth another POST after a
        // backoff, but only after a lookup by label, like any second POST: never a blind repeat.
        const notNow = err instanceof HetznerError && err.status === 503 && !isAmbiguousCreate(err);
        if (notNow) {
          if (posts >= maxPosts) throw err;
          const delay = this.http.retryDelay(posts - 1);
          reportWait({ cloud: 'hetzner', reason: 'unavailable', delayMs: delay, apiCode: err.apiCode });
          await this.sleep(delay, options.signal);
          const hit = await found(posts);
          if (hit) return hit;
          continue;
        }
        if (!isAmbiguousCreate(err) && !ourEarlierCreate) throw err;
        ambiguous = true;
        this.logger?.warn('hetzner: create outcome unknown, looking the server up by label', { labelSelector: options.labelSelector });
        for (let i = 0; i < (options.lookups ?? 3); i++) {
          if (i > 0) await this.sleep(options.lookupDelayMs ?? 2000, options.signal);
          const hit = await found(posts);
          if (hit) return hit;
        }
        if (posts >= maxPosts) throw err;
      }
    }
  }
}
