import type { AppInfo, Catalog, Region, RegionOffer } from '../../../shared/domain';
import type { Store } from '../db/store';
import type { Image, Location, ServerType } from '../hetzner/types';

export interface AppIdentity {
  version: string;
  mode: AppInfo['mode'];
  dataDir: string;
  transport: AppInfo['transport'];
  notices: string[];
  /** The sandbox simulators' time scale; absent in live mode. */
  simTimeScale?: number | null;
}

function offerFor(type: ServerType | undefined, location: string, requested: string): RegionOffer {
  const entry = type?.locations?.find((l) => l.name === location);
  const price = type?.prices.find((p) => p.location === location);
  const retired = entry?.deprecation ? Date.parse(entry.deprecation.unavailable_after) <= Date.now() : false;
  let reason: string | null = null;
  if (!type) reason = `Hetzner does not offer ${requested}.`;
  else if (!entry) reason = `${type.name} is not offered in ${location}.`;
  else if (retired) reason = `${type.name} is retired in ${location}.`;
  else if (!entry.available) reason = `${type.name} is out of stock in ${location} right now.`;
  return {
    serverType: requested,
    available: reason === null,
    reason,
    monthlyGross: price?.price_monthly.gross ?? null,
    hourlyGross: price?.price_hourly.gross ?? null,
  };
}

/** Regions come from the cached catalog, with the store's count of Outpost VMs in each. */
export async function listRegions(store: Store, serverType?: string): Promise<Region[]> {
  const counts = await store.instances.countByRegion();
  const types = await store.catalog.list<ServerType>('server_type');
  const chosen = serverType ? types.find((t) => t.name === serverType) : undefined;
  return (await store.catalog.list<Location>('location')).map((loc) => ({
    name: loc.name,
    description: loc.description,
    city: loc.city,
    country: loc.country,
    networkZone: loc.network_zone,
    instanceCount: counts.get(loc.name) ?? 0,
    availableServerTypes: types.filter((t) => t.locations?.some((l) => l.name === loc.name && l.available)).map((t) => t.name),
    offer: serverType ? offerFor(chosen, loc.name, serverType) : null,
  }));
}

export async function readCatalog(store: Store): Promise<Catalog> {
  const types = await store.catalog.list<ServerType>('server_type');
  const images = await store.catalog.list<Image>('image');
  const refreshedAt = await store.catalog.refreshedAt('server_type');
  return {
    serverTypes: types.map((t) => ({
      name: t.name,
      description: t.description,
      cores: t.cores,
      memoryGb: t.memory,
      diskGb: t.disk,
      architecture: t.architecture,
      cpuType: t.cpu_type,
      prices: t.prices.map((p) => ({ location: p.location, monthlyGross: p.price_monthly.gross, hourlyGross: p.price_hourly.gross })),
      locations: (t.locations ?? []).map((l) => ({ name: l.name, available: l.available })),
    })),
    images: images
      .filter((i) => i.name !== null && i.status === 'available')
      .map((i) => ({ name: i.name!, description: i.description, architecture: i.architecture, osFlavor: i.os_flavor })),
    refreshedAt,
  };
}
