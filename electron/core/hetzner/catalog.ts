// CatalogCache: locations, server types (with per-location availability and prices) and system
// images, loaded in one refresh (a handful of sync-priority requests) and answered from memory.
// Availability changes quickly (reference §11, tf#1147): refresh before validating a provision.
import { systemClock, type Clock } from '../ports';
import type { HetznerHttp } from './http';
import { collect, paginate } from './pagination';
import type { Architecture, Image, Location, ServerType, ServerTypePrice } from './types';

export interface CatalogSnapshot {
  refreshedAt: number;
  locations: Location[];
  serverTypes: ServerType[];
  images: Image[];
}

export interface Availability {
  /** The type is listed for this location at all. */
  listed: boolean;
  /** Orderable there now (`server_type.locations[].available`). */
  available: boolean;
  recommended: boolean;
  deprecated: boolean;
  price: ServerTypePrice | undefined;
}

export class CatalogCache {
  private data: CatalogSnapshot | undefined;
  private inFlight: Promise<CatalogSnapshot> | undefined;

  constructor(
    private readonly http: HetznerHttp,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Reloads everything; concurrent callers share one refresh. */
  refresh(options: { signal?: AbortSignal } = {}): Promise<CatalogSnapshot> {
    this.inFlight ??= this.fetchAll(options.signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Refreshes when older than maxAgeMs (or never loaded). */
  async ensureFresh(maxAgeMs: number, options: { signal?: AbortSignal } = {}): Promise<CatalogSnapshot> {
    if (this.data && this.age() <= maxAgeMs) return this.data;
    return this.refresh(options);
  }

  /** Milliseconds since the last refresh; Infinity before the first. */
  age(): number {
    return this.data ? this.clock.now() - this.data.refreshedAt : Infinity;
  }

  snapshot(): CatalogSnapshot | undefined {
    return this.data;
  }

  /** Seeds the cache from a persisted snapshot (e.g. the store's catalog table). */
  load(snapshot: CatalogSnapshot): void {
    this.data = snapshot;
  }

  locations(): Location[] {
    return this.data?.locations ?? [];
  }

  location(name: string): Location | undefined {
    return this.locations().find((l) => l.name === name);
  }

  serverTypes(): ServerType[] {
    return this.data?.serverTypes ?? [];
  }

  serverType(name: string): ServerType | undefined {
    return this.serverTypes().find((t) => t.name === name);
  }

  availability(serverType: string, location: string): Availability {
    const type = this.serverType(serverType);
    const entry = type?.locations?.find((l) => l.name === location);
    const deprecated = entry?.deprecation ? Date.parse(entry.deprecation.unavailable_after) <= this.clock.now() : false;
    return {
      listed: entry !== undefined,
      available: entry !== undefined && entry.available && !deprecated,
      recommended: entry?.recommended ?? false,
      deprecated,
      price: type?.prices.find((p) => p.location === location),
    };
  }

  /** Images by name are not unique: one per architecture (reference §2). */
  image(name: string, architecture: Architecture): Image | undefined {
    return this.data?.images.find((i) => i.name === name && i.architecture === architecture && i.status === 'available');
  }

  images(architecture?: Architecture): Image[] {
    const all = this.data?.images ?? [];
    return architecture ? all.filter((i) => i.architecture === architecture) : all;
  }

  private async fetchAll(signal: AbortSignal | undefined): Promise<CatalogSnapshot> {
    const opts = { priority: 'sync' as const, signal };
    const [locations, serverTypes, images] = await Promise.all([
      collect(paginate<Location>(this.http, '/locations', {}, opts)),
      collect(paginate<ServerType>(this.http, '/server_types', {}, opts)),
      collect(paginate<Image>(this.http, '/images', { type: 'system' }, opts)),
    ]);
    this.data = { refreshedAt: this.clock.now(), locations, serverTypes, images };
    return this.data;
  }
}
