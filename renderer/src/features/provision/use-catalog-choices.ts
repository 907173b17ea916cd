// What the provision and payment forms offer: regions with the offer for the chosen type, server
// types sorted by price, and the images for the chosen type's architecture.
import { useMemo } from 'react';
import type { Region } from '../../../../shared/domain';
import { useChannel } from '../../queries/use-channel';

export function useCatalogChoices(serverType: string) {
  const catalog = useChannel('catalog:get', {});
  const regions = useChannel('regions:list', serverType ? { serverType } : {});
  const types = useMemo(
    () => [...(catalog.data?.serverTypes ?? [])].sort((a, b) => Number(a.prices[0]?.monthlyGross ?? 0) - Number(b.prices[0]?.monthlyGross ?? 0)),
    [catalog.data],
  );
  const arch = types.find((t) => t.name === serverType)?.architecture;
  const images = useMemo(() => {
    const seen = new Set<string>();
    return (catalog.data?.images ?? []).filter((i) => (!arch || i.architecture === arch) && !seen.has(i.name) && seen.add(i.name));
  }, [catalog.data, arch]);
  return { catalog, regions, types, images, error: catalog.error ?? regions.error };
}

/** Why the chosen region cannot take the chosen server type right now, or undefined. */
export function unavailableReason(regions: readonly Region[] | undefined, region: string): string | undefined {
  const offer = regions?.find((r) => r.name === region)?.offer;
  return region && offer && !offer.available ? (offer.reason ?? 'Not available here.') : undefined;
}
