// What the provision and payment forms offer: regions with the offer for the chosen type, server
// types sorted by price, and the images for the chosen type's architecture.
import { useMemo } from 'react';
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
