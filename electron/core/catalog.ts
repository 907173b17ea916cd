// The Hetzner catalog as the rest of core sees it: the client's in-memory cache, mirrored into the
// store so regions and prices show (and the panel starts) without a network round trip.
import type { Store } from './db/store';
import type { CatalogSnapshot, HetznerClient } from './hetzner';

export async function refreshCatalog(store: Store, hetzner: HetznerClient, maxAgeMs = 0): Promise<CatalogSnapshot> {
  const before = hetzner.catalog.snapshot();
  const snapshot = maxAgeMs > 0 ? await hetzner.catalog.ensureFresh(maxAgeMs) : await hetzner.catalog.refresh();
  if (snapshot !== before) {
    const at = new Date(snapshot.refreshedAt).toISOString();
    await store.transaction(async (tx) => {
      await tx.catalog.replace('location', snapshot.locations.map((l) => ({ name: l.name, data: l })), at);
      await tx.catalog.replace('server_type', snapshot.serverTypes.map((t) => ({ name: t.name, data: t })), at);
      await tx.catalog.replace('image', snapshot.images.map((i) => ({ name: `${i.name ?? i.id}@${i.architecture}`, data: i })), at);
    });
  }
  return snapshot;
}

/** Other locations of the same network zone where the type can be ordered now. */
export function sameZoneAlternatives(hetzner: HetznerClient, serverType: string, location: string): string[] {
  const zone = hetzner.catalog.location(location)?.network_zone;
  if (!zone) return [];
  return hetzner.catalog
    .locations()
    .filter((l) => l.network_zone === zone && l.name !== location)
    .filter((l) => hetzner.catalog.availability(serverType, l.name).available)
    .map((l) => l.name);
}
