// The foundation slice end to end: browser mode serving the built renderer, read from a real
// SQLite file, driven in Debian's Chromium.
import { existsSync, statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../electron/boot/runtime';
import { Store } from '../../electron/core/db/store';
import { runWeb } from '../../electron/cli/commands/web';
import { seedInstance } from '../fixtures/seed';
import { refreshCatalog } from '../../electron/core/catalog';
import { tempDir } from '../fixtures/temp-dir';
import { artifactPath } from './artifacts';
import { launchChromium } from './browser';

let cleanup: () => void;
let browser: Browser;
let page: Page;
let stop: () => Promise<void>;
let url: string;

beforeAll(async () => {
  const tmp = tempDir('outpost-e2e-');
  cleanup = tmp.cleanup;
  const store = await Store.open(storeFile(tmp.dir, 'sandbox'));
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  await seedInstance(store, { name: 'vm-fsn-01', agent: 'build-runner', customer: 'ACME GmbH', region: 'fsn1', serverId: 4294967301, publicIpv4: '203.0.113.10', tailnetIp: '100.101.102.103', at: hourAgo });
  await seedInstance(store, { name: 'vm-hel-02', agent: 'support-bot', customer: 'Globex', region: 'hel1', status: 'provisioning' });
  await seedInstance(store, { name: 'vm-ash-03', agent: 'crawler', region: 'ash', serverType: 'cpx11', publicIpv4: '198.51.100.7', tailnetIp: '100.64.1.2' });
  await store.close();

  const { runtime, server } = await runWeb({ dataDir: tmp.dir, port: 0, mode: 'sandbox' });
  await refreshCatalog(runtime.store, runtime.clouds.hetzner); // the sandbox catalog, loaded before the page asks
  url = server.url;
  stop = async () => {
    await server.close();
    await runtime.close();
  };
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await stop?.();
  cleanup?.();
});

describe('Fleet page in Chromium (browser mode)', () => {
  it('shows the instances from the store with their IPs', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    await page.goto(url);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('button', { name: 'vm-fsn-01', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Instances' });
    expect(await table.getByRole('row').count()).toBe(4); // header + 3
    const row = table.getByRole('row').filter({ hasText: 'vm-fsn-01' });
    await expect(row.getByRole('cell').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining(['vm-fsn-01', 'build-runner · ACME GmbH', 'fsn1 Falkenstein', 'cx22', '203.0.113.10', '100.101.102.103', 'running', 'online', '1h']),
    );
    await expect(page.getByRole('status').filter({ hasText: 'Sandbox' }).count()).resolves.toBe(1);
    await page.screenshot({ path: artifactPath('fleet.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('narrows the fleet as the operator types in the search box', async () => {
    await page.getByRole('searchbox', { name: 'Search instances' }).fill('globex');
    await page.getByRole('status').filter({ hasText: '1 VM' }).waitFor();
    const rows = page.getByRole('table', { name: 'Instances' }).getByRole('row');
    expect(await rows.count()).toBe(2);
    await expect(rows.nth(1).innerText()).resolves.toContain('vm-hel-02');
    await page.getByRole('searchbox', { name: 'Search instances' }).fill('');
  });

  it('navigates to Regions and shows counts and availability from the catalog', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Fleet', 'Jobs', 'Payments', 'Regions', 'Audit', 'Settings']) {
      await nav.getByRole('button', { name }).waitFor();
    }
    await nav.getByRole('button', { name: 'Regions' }).click();
    const fsn1 = page.getByRole('listitem', { name: 'fsn1 Falkenstein' });
    await fsn1.waitFor();
    await expect(fsn1.innerText()).resolves.toMatch(/1 VM[\s\S]*cx22/);
    await page.screenshot({ path: artifactPath('regions.png'), fullPage: true });
    // The page survives a reload on the same route.
    await page.reload();
    await page.getByRole('heading', { name: 'Regions' }).waitFor();
  });

  it('saved the Fleet screenshot as a test artifact', () => {
    const shot = artifactPath('fleet.png');
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
  });
});
