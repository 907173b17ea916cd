// The fleet at 10,000 instances: virtualized (few rows in the DOM), filtered and sorted by the store,
// read in windows (instances:page, never the whole fleet). Timings are measured in the page and
// written to test-artifacts/e2e/fleet-10k-metrics.json — never asserted.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/db/store';
import { seedCatalog, seedInstance } from '../fixtures/seed';
import { artifactPath } from './artifacts';
import { FLEET_PROBE, fleetProbe } from './fleet-probe';
import { startPanel, type Panel } from './harness';

const COUNT = 10_000;
const REGIONS = ['fsn1', 'hel1', 'ash'] as const;
const CUSTOMERS = ['ACME GmbH', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];
let panel: Panel;
let page: Page;
const metrics: Record<string, unknown> = { instances: COUNT };

async function seed(store: Store): Promise<void> {
  await seedCatalog(store);
  const start = Date.now();
  await store.transaction(async (tx) => {
    for (let n = 0; n < COUNT; n++) {
      const id = await seedInstance(tx, {
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
      if (n % 400 === 7) await tx.instances.update(id, { drift: true }, new Date(start).toISOString());
      if (n % 11 === 3) await tx.instances.update(id, { enrollment: 'offline', lastSeen: new Date(start - 3_600_000).toISOString() }, new Date(start).toISOString());
    }
  });
  metrics.seedMs = Date.now() - start;
}

const domRows = () => page.getByRole('table', { name: 'Instances' }).getByRole('row').count();
/** What the page asked instances:page and instances:list for. */
const asked: { channel: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  panel = await startPanel({ seed });
  page = panel.page;
  await page.addInitScript(FLEET_PROBE);
  page.on('request', (r) => {
    const channel = /\/rpc\/([^/?]+)$/.exec(decodeURIComponent(r.url()))?.[1];
    if (channel === 'instances:page' || channel === 'instances:list') asked.push({ channel, body: JSON.parse(r.postData() ?? '{}') as Record<string, unknown> });
  });
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
    // Since the navigation started, in the page's own clock: the first row in the DOM, and its frame.
    metrics.firstRowMs = (await fleetProbe(page)).firstRow;
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
    const before = (await fleetProbe(page)).keys.length;
    // Keystroke → the store's answer for that text on screen (the count no longer busy), at its frame.
    for (const ch of 'vm-0123') {
      await page.keyboard.type(ch);
      await page.locator('p.count[aria-busy="false"]').waitFor();
      await page.waitForFunction((n) => (globalThis as unknown as { __fleetProbe: { keys: unknown[] } }).__fleetProbe.keys.length > n, before + 'vm-0123'.indexOf(ch));
    }
    const latencies = (await fleetProbe(page)).keys.slice(before);
    metrics.filterKeystrokeMs = latencies;
    metrics.filterKeystrokeMaxMs = Math.max(...latencies);
    await page.getByRole('button', { name: 'vm-01234', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: '10 VMs of 10,000' }).waitFor();
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

  it('asked the store for windows only, never for the whole fleet', () => {
    expect(asked.filter((a) => a.channel === 'instances:list')).toEqual([]);
    expect(asked.length).toBeGreaterThan(0);
    for (const a of asked) expect(a.body.limit as number).toBeLessThanOrEqual(500);
    metrics.pageRequests = asked.length;
  });

  it('ran without page errors', () => {
    writeFileSync(artifactPath('fleet-10k-errors.json'), JSON.stringify([...new Set(panel.errors)].slice(0, 20), null, 2));
    expect(panel.errors).toEqual([]);
  });
});
