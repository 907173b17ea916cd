// Scenario 5 (issue 14 item 6): the Fleet page in Chromium with 10,000 and 100,000 instances, the
// rows read from the store in windows (instances:page). Per fleet size, in browser mode against the
// sandbox runtime (test/e2e/harness.ts), measured inside the page (test/e2e/fleet-probe.ts):
// - first render: navigation start → the frame showing the first rows, over several loads (after one
//   warm-up load of the same browser); and the
//   Fleet's own share of it, from app:info answered (before which no page reads anything) to that frame;
// - filter keystroke: keydown → the frame showing the store's answer for the new text, per character
//   of a few searches typed one key at a time;
// - a status filter, a sort, a scroll to the middle; rows in the DOM;
// - instances:page through dispatch (no browser), and SQLite's plan for the default view's window.
// The machine is shared: the load average before and after each size is part of the result.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type { Page } from 'playwright-core';
import { InstancePages } from '../../electron/core/db/repos/instance-page';
import type { Store } from '../../electron/core/db/store';
import type { Tables } from '../../electron/core/db/tables';
import { directApi } from '../../test/fixtures/apis';
import { seedCatalog } from '../../test/fixtures/seed';
import { FLEET_PROBE, fleetProbe } from '../../test/e2e/fleet-probe';
import { startPanel } from '../../test/e2e/harness';
import { max, percentile, round } from '../lib/stats';
import { timeRuns } from '../lib/timing';

export interface FleetUiOptions {
  sizes: number[];
  /** Page loads per size. */
  loads: number;
  /** Searches typed one key at a time. */
  words: string[];
}

export const FIRST_RENDER_TARGET_MS = 300;
export const KEYSTROKE_TARGET_MS = 30;

const REGIONS = ['fsn1', 'hel1', 'ash'] as const;
const CUSTOMERS = ['ACME GmbH', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];

/** n → its VM: names vm-000000…, a few failed and destroyed, some drifted, some offline. */
export async function seedFleet(store: Store, count: number): Promise<void> {
  await seedCatalog(store);
  const start = Date.parse('2026-11-01T00:00:00Z');
  await store.transaction(async (tx) => {
    for (let n = 0; n < count; n++) {
      const at = new Date(start - n * 30_000).toISOString();
      const name = `vm-${String(n).padStart(6, '0')}`;
      await tx.agents.insert({ id: `agt_${n}`, name: `agent-${n % 97}`, customer: CUSTOMERS[n % CUSTOMERS.length]!, at });
      await tx.instances.insert({ id: `ins_${String(n).padStart(6, '0')}`, name, agentId: `agt_${n}`, jobId: null, region: REGIONS[n % REGIONS.length]!, serverType: n % 5 ? 'cx22' : 'cpx11', image: 'ubuntu-24.04', hostname: name, monthlyPriceGross: n % 5 ? '4.5101000000' : '5.3900000000', at });
      const status = n % 37 === 5 ? 'failed' : n % 41 === 9 ? 'destroyed' : n % 50 === 0 ? 'provisioning' : 'running';
      await tx.instances.update(
        `ins_${String(n).padStart(6, '0')}`,
        {
          status,
          serverId: 4_000_000_000 + n,
          publicIpv4: `203.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          tailnetIp: `100.64.${(n >> 8) & 255}.${n & 255}`,
          enrollment: status === 'running' ? (n % 11 === 3 ? 'offline' : 'online') : 'pending',
          drift: n % 400 === 7,
        },
        at,
      );
    }
  });
}

const dist = (xs: number[]) => ({ p50: round(percentile(xs, 50), 1), p95: round(percentile(xs, 95), 1), max: round(max(xs), 1), n: xs.length });

/** SQLite's plan for each statement of the default view's instances:page, at this size. */
async function defaultViewPlan(store: Store): Promise<string[]> {
  const raw = store.sqlite!;
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }), log: (e) => void (e.level === 'query' && sent.push(e.query)) });
  await new InstancePages(db, 'sqlite').page({ limit: 50 }, async () => []);
  return sent.map((c) => (raw.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | '));
}

/** When app:info's answer ended, in the page's clock (pages read nothing before it). */
const appReadyAt = (page: Page) =>
  page.evaluate(() => (performance.getEntriesByType('resource').find((e) => decodeURIComponent(e.name).endsWith('rpc/app:info')) as { responseEnd: number } | undefined)?.responseEnd ?? null);

type Step = 'status' | 'sort' | 'scroll';

/**
 * ms from the step's action to the frame showing its result, all inside the page (rejected when not
 * within 30 s). Plain JavaScript
 * in a string: tsx would wrap a function's inner helpers in its own __name, which the page lacks.
 */
export const IN_PAGE = `(which) => new Promise((resolve, reject) => {
  const count = () => document.querySelector('p.count');
  const settled = () => !!document.querySelector('p.count[aria-busy="false"]');
  const done = {
    status: () => settled() && (count()?.textContent ?? '').includes(' of '),
    sort: () => settled() && (document.querySelector('[role="columnheader"][aria-sort="ascending"]')?.textContent ?? '').startsWith('Name') && document.querySelector('.row-open')?.getAttribute('aria-label') === 'vm-000001',
    scroll: () => {
      const rows = Number(document.querySelector('[role="table"][aria-label="Instances"]').getAttribute('aria-rowcount')) - 1;
      return [...document.querySelectorAll('.table-row[data-index]')].some((r) => Number(r.dataset.index) >= rows * 0.4 && !r.classList.contains('loading'));
    },
  };
  const act = {
    status: () => {
      const select = document.querySelector('select[aria-label="Status"]');
      // React hears a change made through the native setter, as a user's choice would make it.
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(select, 'running');
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    sort: () => [...document.querySelectorAll('[role="columnheader"] button.sort')].find((b) => (b.textContent ?? '').startsWith('Name')).click(),
    scroll: () => {
      const el = document.querySelector('.table-body');
      el.scrollTop = el.scrollHeight / 2;
    },
  };
  const t0 = performance.now();
  setTimeout(() => reject(new Error(which + ': no result within 30 s')), 30000);
  const observer = new MutationObserver(() => {
    if (!done[which]()) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - t0));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  act[which]();
})`;

const inPage = (page: Page, step: Step): Promise<number> => page.evaluate(`(${IN_PAGE})(${JSON.stringify(step)})`) as Promise<number>;

/** Types each word one key at a time, each key once the previous one's answer is painted; ms per key. */
async function typeWords(page: Page, words: readonly string[]): Promise<number[]> {
  const search = page.getByRole('searchbox', { name: 'Search instances' });
  const keys: number[] = [];
  for (const word of words) {
    await search.focus();
    const before = (await fleetProbe(page)).keys.length;
    for (const [i, ch] of [...word].entries()) {
      await page.keyboard.type(ch);
      await page.waitForFunction((k) => (globalThis as unknown as { __fleetProbe: { keys: unknown[] } }).__fleetProbe.keys.length > k, before + i);
    }
    keys.push(...(await fleetProbe(page)).keys.slice(before));
    await search.fill('');
    await page.locator('p.count[aria-busy="false"]').waitFor();
  }
  return keys;
}

async function measureSize(count: number, opts: FleetUiOptions, log: (line: string) => void) {
  const seedStart = performance.now();
  const panel = await startPanel({ seed: (store) => seedFleet(store, count) });
  const seedMs = performance.now() - seedStart;
  // The seeding ran in this process, which also serves the panel: its garbage is collected now, not
  // in the middle of a measurement (a served fleet was not just written row by row).
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  // Taken once the seeding (this process's own work) is done: what else the machine is doing.
  const loadBefore = loadavg().map((l) => round(l, 2));
  log(`  ${count.toLocaleString('en')} instances seeded and served in ${round(seedMs / 1000, 1)} s; load average ${loadBefore.join(' ')}`);
  try {
    const page = panel.page;
    await page.addInitScript(FLEET_PROBE);
    const firstRow: number[] = [];
    const fleetShare: number[] = [];
    // One load first, not counted: the browser's first page compiles the bundle and fills its caches.
    await page.goto(panel.url);
    await fleetProbe(page);
    for (let n = 0; n < opts.loads; n++) {
      await page.goto(panel.url);
      const probe = await fleetProbe(page);
      const ready = await appReadyAt(page);
      firstRow.push(probe.firstRow!);
      if (ready !== null) fleetShare.push(probe.firstRow! - ready);
    }
    const domRows = await page.getByRole('table', { name: 'Instances' }).getByRole('row').count();
    log(`  ${opts.loads} page loads: first rows p50 ${round(percentile(firstRow, 50), 1)} ms`);

    // The store's answers to the keystrokes are kept as they are given, for the floor run below.
    const handlers = panel.runtime.handlers;
    const fromStore = handlers['instances:page'];
    const answers = new Map<string, Awaited<ReturnType<typeof fromStore>>>();
    handlers['instances:page'] = async (request, ctx) => {
      const answer = await fromStore(request, ctx);
      answers.set(JSON.stringify(request), answer);
      return answer;
    };
    const keys = await typeWords(page, opts.words);
    // The floor: the same keys in a fresh page, each answered from the answers kept above, at once
    // (no store, no query): what the browser, the HTTP round trip and React cost on their own.
    handlers['instances:page'] = (request, ctx) => {
      const kept = answers.get(JSON.stringify(request));
      return kept ? Promise.resolve(kept) : fromStore(request, ctx);
    };
    await page.goto(panel.url);
    await fleetProbe(page);
    const floorKeys = await typeWords(page, opts.words);
    handlers['instances:page'] = fromStore;
    log(`  ${keys.length} keystrokes: p50 ${round(percentile(keys, 50), 1)} ms; answered from memory (the floor) p50 ${round(percentile(floorKeys, 50), 1)} ms`);
    const statusFilter = await inPage(page, 'status');
    const sortByName = await inPage(page, 'sort');
    const scrollToMiddle = await inPage(page, 'scroll');
    const domRowsAfterScroll = await page.getByRole('table', { name: 'Instances' }).getByRole('row').count();

    const api = directApi(panel.runtime.handlers);
    const dispatch = {
      defaultView: dist(await timeRuns(20, () => api.call('instances:page', { limit: 50 }))),
      search: dist(await timeRuns(20, () => api.call('instances:page', { limit: 50, search: 'vm-0123' }))),
      deepWindow: dist(await timeRuns(10, () => api.call('instances:page', { limit: 50, offset: Math.floor(count / 2) }))),
    };
    const { counts } = await api.call('instances:page', { limit: 0 });
    const plan = await defaultViewPlan(panel.runtime.store);
    const loadAfter = loadavg().map((l) => round(l, 2));
    const result = {
      instances: count,
      seedAndStartMs: round(seedMs),
      firstRowMs: dist(firstRow),
      fleetShareMs: dist(fleetShare),
      keystrokeMs: dist(keys),
      keystrokes: keys,
      keystrokeFloorMs: dist(floorKeys),
      floorKeystrokes: floorKeys,
      statusFilterMs: round(statusFilter, 1),
      sortByNameMs: round(sortByName, 1),
      scrollToMiddleMs: round(scrollToMiddle, 1),
      domRows,
      domRowsAfterScroll,
      counts,
      dispatchMs: dispatch,
      defaultViewPlan: plan,
      loadAverage: { before: loadBefore, after: loadAfter },
      errors: [...new Set(panel.errors)].slice(0, 5),
    };
    log(`  first rows p50 ${result.firstRowMs.p50} ms (fleet share ${result.fleetShareMs.p50} ms), keystroke p50 ${result.keystrokeMs.p50} ms, p95 ${result.keystrokeMs.p95} ms; load average ${loadAfter.join(' ')}`);
    return result;
  } finally {
    await panel.close();
  }
}

export async function fleetUi(opts: FleetUiOptions, log: (line: string) => void) {
  // The page under test is the browser-mode build of the renderer as it is now.
  const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts'], { stdio: 'ignore' });
  if (build.status !== 0) throw new Error('vite build of the renderer failed');
  const sizes = [];
  for (const count of opts.sizes) sizes.push(await measureSize(count, opts, log));
  return { loads: opts.loads, words: opts.words, targets: { firstRenderMs: FIRST_RENDER_TARGET_MS, keystrokeMs: KEYSTROKE_TARGET_MS }, sizes };
}
