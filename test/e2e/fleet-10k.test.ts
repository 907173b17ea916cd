// The fleet at 10,000 instances: virtualized (few rows in the DOM), filtered and sorted in memory.
// Timings are measured and written to test-artifacts/e2e/fleet-10k-metrics.json — never asserted.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/db/store';
import { seedCatalog, seedInstance } from '../fixtures/seed';
import { artifactPath } from './artifacts';
import { startPanel, type Panel } from './harness';

const COUNT = 10_000;
const REGIONS = ['fsn1', 'hel1', 'ash'] as const;
const CUSTOMERS = ['ACME GmbH', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];
let panel: Panel;
let page: Page;
const metrics: Record<string, unknown> = { instances: COUNT };

function seed(store: Store): void {
  seedCatalog(store);
  const start = Date.now();
  store.transaction(() => {
    for (let n = 0; n < COUNT; n++) {
      const id = seedInstance(store, {
        name: `vm-${String(n).padStart(5, '0')}`,
        agent: `agent-${n % 97}`,
        customer: CUSTOMERS[n % CUSTOMERS.length]!,
        region: REGIONS[n % REGIONS.length]!,
        serverType: n % 5 === 0 ? 'cpx11' : 'cx22',
        status: n % 50 === 0 ? 'provisioning' : 'running',
        serverId: 4_000_000_000 + n,
        publicIpv4: `203.0.${(n >> 8) & 255}.${n & 255}`,
        tailnetIp: `100.64.${(n >> 8) & 255}.${n & 255}`,
        at: new Date(start - n * 60_000).toISOString(),
      });
      if (n % 400 === 7) store.instances.update(id, { drift: true }, new Date(start).toISOString());
      if (n % 11 === 3) store.instances.update(id, { enrollment: 'offline', lastSeen: new Date(start - 3_600_000).toISOString() }, new Date(start).toISOString());
    }
  });
  metrics.seedMs = Date.now() - start;
}

const domRows = () => page.getByRole('table', { name: 'Instances' }).getByRole('row').count();

beforeAll(async () => {
  panel = await startPanel({ seed });
  page = panel.page;
});

afterAll(async () => {
  writeFileSync(artifactPath('fleet-10k-metrics.json'), JSON.stringify(metrics, null, 2));
  console.log('fleet-10k metrics', JSON.stringify(metrics));
  await panel?.close();
});

describe('Fleet with 10,000 instances', () => {
  it('renders quickly with only the visible rows in the DOM', async () => {
    const t0 = Date.now();
    await page.goto(panel.url);
    await page.getByRole('button', { name: 'vm-00000', exact: true }).waitFor({ timeout: 30_000 });
    metrics.initialRenderMs = Date.now() - t0;
    await page.getByRole('status').filter({ hasText: '10,000 VMs' }).waitFor();
    const rows = await domRows();
    metrics.domRowsInitial = rows;
    expect(rows).toBeLessThan(80);
    await page.getByText('25 drifted').waitFor();
    await page.screenshot({ path: artifactPath('fleet-10k.png') });
  });

  it('filters on every keystroke without blocking typing', async () => {
    const search = page.getByRole('searchbox', { name: 'Search instances' });
    await search.focus();
    const latencies: number[] = [];
    // Keystroke → the filtered list committed and two frames painted (the input itself echoes first).
    const settle = () => page.evaluate('new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 0))');
    for (const ch of 'vm-0123') {
      const t = Date.now();
      await page.keyboard.type(ch);
      await settle();
      latencies.push(Date.now() - t);
    }
    metrics.filterKeystrokeMs = latencies;
    metrics.filterKeystrokeMaxMs = Math.max(...latencies);
    await page.getByRole('button', { name: 'vm-01234', exact: true }).waitFor();
    expect(await domRows()).toBeLessThan(80);
    await search.fill('');
    await page.getByRole('status').filter({ hasText: '10,000 VMs' }).waitFor();
  });

  it('sorts, filters by select and scrolls to the end with a small DOM', async () => {
    let t = Date.now();
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await page.getByRole('button', { name: 'vm-00000', exact: true }).waitFor();
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await page.getByRole('button', { name: 'vm-09999', exact: true }).waitFor();
    metrics.sortTwiceMs = Date.now() - t;

    t = Date.now();
    await page.getByRole('combobox', { name: 'Enrollment' }).selectOption('offline');
    await page.getByRole('status').filter({ hasText: /VMs of 10,000/ }).waitFor();
    metrics.enrollmentFilterMs = Date.now() - t;
    await page.getByRole('combobox', { name: 'Enrollment' }).selectOption('');
    await page.getByRole('status').filter({ hasText: '10,000 VMs' }).waitFor();

    t = Date.now();
    await page.locator('.table-body').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByRole('button', { name: 'vm-00000', exact: true }).waitFor();
    metrics.scrollToEndMs = Date.now() - t;
    metrics.domRowsAfterScroll = await domRows();
    expect(metrics.domRowsAfterScroll).toBeLessThan(80);
  });

  it('ran without page errors', () => {
    writeFileSync(artifactPath('fleet-10k-errors.json'), JSON.stringify([...new Set(panel.errors)].slice(0, 20), null, 2));
    expect(panel.errors).toEqual([]);
  });
});
