import { describe, expect, it } from 'vitest';
import { HetznerClient } from '../../../electron/core/hetzner';
import { json, scriptedFetch } from './helpers';

const page = (key: string, items: unknown[]) => ({ [key]: items, meta: { pagination: { page: 1, next_page: null } } });
const price = (location: string, gross: string) => ({ location, price_hourly: { net: '0', gross: '0' }, price_monthly: { net: '0', gross } });

describe('CatalogCache', () => {
  it('loads locations, types (per-location availability, prices) and images by architecture', async () => {
    let now = 1000;
    const { fetch, calls } = scriptedFetch((c) => {
      const path = new URL(c.url).pathname;
      if (path.endsWith('/locations')) return json(200, page('locations', [{ id: 1, name: 'fsn1' }, { id: 2, name: 'ash' }]));
      if (path.endsWith('/server_types'))
        return json(200, page('server_types', [
          {
            id: 104, name: 'cx22', architecture: 'x86', prices: [price('fsn1', '4.51')],
            locations: [
              { id: 1, name: 'fsn1', deprecation: null, available: true, recommended: true },
              { id: 2, name: 'ash', deprecation: null, available: false, recommended: false },
            ],
          },
        ]));
      return json(200, page('images', [
        { id: 1, name: 'ubuntu-24.04', architecture: 'arm', status: 'available' },
        { id: 2, name: 'ubuntu-24.04', architecture: 'x86', status: 'available' },
      ]));
    });
    const client = new HetznerClient({ token: 'tok-0123456789', baseUrl: 'http://hz.test/v1', fetch, clock: { now: () => now } });
    expect(client.catalog.age()).toBe(Infinity);
    await Promise.all([client.catalog.refresh(), client.catalog.refresh()]);
    expect(calls).toHaveLength(3); // concurrent refreshes share one load
    now += 5000;
    expect(client.catalog.age()).toBe(5000);
    expect(client.catalog.availability('cx22', 'fsn1')).toMatchObject({ listed: true, available: true, price: { price_monthly: { gross: '4.51' } } });
    expect(client.catalog.availability('cx22', 'ash')).toMatchObject({ listed: true, available: false });
    expect(client.catalog.availability('cx22', 'hel1')).toMatchObject({ listed: false, available: false });
    expect(client.catalog.image('ubuntu-24.04', 'x86')?.id).toBe(2);
    expect(client.catalog.image('ubuntu-24.04', 'arm')?.id).toBe(1);
    await client.catalog.ensureFresh(60_000);
    expect(calls).toHaveLength(3);
    await client.catalog.ensureFresh(1000);
    expect(calls).toHaveLength(6);
  });
});
