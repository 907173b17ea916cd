// One behaviour suite, run against every transport, so IPC/HTTP/direct can never drift apart.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, type OutpostApi } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { startRuntime, storeFile, type Runtime } from '../../../electron/boot/runtime';
import { Store } from '../../../electron/core/db/store';
import { MemorySettings } from '../../../electron/core/settings';
import { SseHub } from '../../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../../electron/server/web-server';
import { createHttpApi } from '../../../renderer/src/api/http-client';
import { directApi } from '../../fixtures/apis';
import { seedInstance } from '../../fixtures/seed';
import { refreshCatalog } from '../../../electron/core/catalog';
import { silentLogger } from '../../../electron/core/log';
import { tempDir } from '../../fixtures/temp-dir';

interface Transport {
  name: string;
  api: () => OutpostApi;
}

let dir: string;
let cleanup: () => void;
let runtime: Runtime;
let server: RunningWebServer;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const seed = await Store.open(storeFile(dir, 'sandbox'));
  await seedInstance(seed, { name: 'web-1', region: 'fsn1', customer: 'ACME', publicIpv4: '203.0.113.10', tailnetIp: '100.64.0.10' });
  await seedInstance(seed, { name: 'web-2', region: 'hel1', status: 'provisioning' });
  await seedInstance(seed, { name: 'old-1', region: 'fsn1', status: 'destroyed' });
  await seed.close();
  const hub = new SseHub();
  runtime = await startRuntime({ dataDir: dir, events: hub, settings: new MemorySettings(), mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0 });
  // The sandbox's catalog, as the runtime loads it at start (awaited here so no test races it).
  await refreshCatalog(runtime.store, runtime.clouds.hetzner);
  server = await startWebServer({ handlers: runtime.handlers, hub, rendererDir: join(dir, 'no-renderer') });
});

afterAll(async () => {
  await server.close();
  await runtime.close();
  cleanup();
});

const transports: Transport[] = [
  { name: 'direct', api: () => directApi(runtime.handlers) },
  { name: 'http', api: () => createHttpApi(new URL(server.url)) },
];

describe.each(transports)('contract over $name', ({ api }) => {
  it('app:info says who and where we are', async () => {
    const info = await api().call('app:info', {});
    expect(channels['app:info'].res.parse(info)).toEqual(info);
    expect(info).toMatchObject({ name: 'Outpost', mode: 'sandbox', role: 'operator', dataDir: dir });
  });

  it('instances:list returns live instances, newest first, matching the schema', async () => {
    const list = await api().call('instances:list', {});
    channels['instances:list'].res.parse(list);
    expect(list.map((i) => i.name).sort()).toEqual(['web-1', 'web-2']);
    const web1 = list.find((i) => i.name === 'web-1')!;
    expect(web1).toMatchObject({ region: 'fsn1', customer: 'ACME', publicIpv4: '203.0.113.10', tailnetIp: '100.64.0.10', status: 'running' });
  });

  it('instances:list filters by status, region and search', async () => {
    expect((await api().call('instances:list', { status: ['destroyed'] })).map((i) => i.name)).toEqual(['old-1']);
    expect((await api().call('instances:list', { region: 'hel1' })).map((i) => i.name)).toEqual(['web-2']);
    expect((await api().call('instances:list', { search: 'acme' })).map((i) => i.name)).toEqual(['web-1']);
  });

  it('regions:list joins the catalog with instance counts, availability and the offer for a type', async () => {
    const regions = await api().call('regions:list', { serverType: 'cax11' });
    channels['regions:list'].res.parse(regions);
    const byName = Object.fromEntries(regions.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['ash', 'fsn1', 'hel1', 'hil', 'nbg1', 'sin']);
    expect(byName.fsn1).toMatchObject({ city: 'Falkenstein', country: 'DE', networkZone: 'eu-central', instanceCount: 1 });
    expect(byName.fsn1!.availableServerTypes).toContain('cx22');
    expect(byName.hel1).toMatchObject({ instanceCount: 1 });
    expect(byName.ash).toMatchObject({ instanceCount: 0, networkZone: 'us-east' });
    // cax11 (Arm) is sold in Europe only: the offer says so per region, with the price where sold.
    expect(byName.fsn1!.offer).toMatchObject({ serverType: 'cax11', available: true, reason: null, monthlyGross: expect.stringMatching(/^\d+\.\d+$/) });
    expect(byName.ash!.offer).toMatchObject({ serverType: 'cax11', available: false, reason: expect.stringContaining('not offered in ash') });
  });

  it('rejects bad input with a typed invalid_input error naming the field', async () => {
    const bad = api().call('instances:list', { status: ['exploded'] } as never);
    await expect(bad).rejects.toBeInstanceOf(OutpostError);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('status.0') });
    await expect(api().call('app:info', { extra: 1 } as never)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses channels that are not in the contract', async () => {
    await expect(api().call('secrets:dump' as never, {} as never)).rejects.toMatchObject({ code: 'not_found' });
  });
});
