import type { AppInfo, Region } from '../../../shared/domain';
import type { Store } from '../db/store';

export interface AppIdentity {
  version: string;
  mode: AppInfo['mode'];
  dataDir: string;
  transport: AppInfo['transport'];
}

interface LocationData {
  name: string;
  description: string;
  city: string;
  country: string;
  network_zone: string;
}

interface ServerTypeData {
  name: string;
  locations?: { name: string; available: boolean }[];
}

/** Regions come from the cached catalog, with the store's count of Outpost VMs in each. */
export function listRegions(store: Store): Region[] {
  const counts = store.instances.countByRegion();
  const types = store.catalog.list<ServerTypeData>('server_type');
  return store.catalog.list<LocationData>('location').map((loc) => ({
    name: loc.name,
    description: loc.description,
    city: loc.city,
    country: loc.country,
    networkZone: loc.network_zone,
    instanceCount: counts.get(loc.name) ?? 0,
    availableServerTypes: types
      .filter((t) => t.locations?.some((l) => l.name === loc.name && l.available))
      .map((t) => t.name),
  }));
}
