// The fleet at 1024 px in Chromium: header and rows scroll sideways together (columns aligned), the
// header and the Name column stay put, the columns beyond the right edge are named by a cue; header
// labels are never cut; long names keep their distinguishing end visible and show in full in a
// tooltip; the drift badge is whole; the column chooser's choice survives a reload; a held ArrowDown
// moves one row per press.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/db/store';
import { seedCatalog, seedInstance } from '../fixtures/seed';
import { startPanel, type Panel } from './harness';

let panel: Panel;
let page: Page;
const COUNT = 60;
const SHORT = ['acme-ci-01', 'nordlicht-01'];
const longName = (n: number) => `vm-build-runner-acme-gmbh-${String(n).padStart(2, '0')}x${(n * 7919).toString(16).padStart(4, '0')}`;

async function seed(store: Store): Promise<void> {
  await seedCatalog(store);
  const start = Date.now();
  await store.transaction(async (tx) => {
    for (let n = 0; n < COUNT; n++) {
      const id = await seedInstance(tx, {
        name: longName(n),
        agent: 'build-runner',
        customer: 'ACME GmbH',
        region: 'fsn1',
        publicIpv4: `203.0.113.${n}`,
        tailnetIp: `100.64.0.${n}`,
        at: new Date(start - n * 60_000).toISOString(),
      });
      if (n === 0) await tx.instances.update(id, { drift: true }, new Date(start).toISOString());
    }
    // Short names that fit the Name cell, one without a tail part and one with (VmName's split);
    // the oldest rows, so the row order the other tests use is unchanged.
    for (const [n, name] of SHORT.entries()) await seedInstance(tx, { name, agent: 'crawler', region: 'hel1', at: new Date(start - (COUNT + n) * 60_000).toISOString() });
  });
}

type Box = { x: number; y: number; width: number; height: number };
const table = () => page.getByRole('table', { name: 'Instances' });

/** Left edges of the header cells and of the first body row's cells, in page coordinates. */
const columnEdges = () =>
  table().evaluate((el) => {
    const lefts = (row: typeof el | null) => [...(row?.querySelectorAll('[role="columnheader"], [role="cell"]') ?? [])].map((c) => Math.round(c.getBoundingClientRect().left));
    return { header: lefts(el.querySelector('.table-row.header')), row: lefts(el.querySelector('.table-spacer [role="row"]')) };
  });

/** Header cells whose label does not fit (the text is cut or hidden). */
const cutHeaders = () =>
  table().evaluate((el) =>
    [...el.querySelectorAll<typeof el>('[role="columnheader"]')].filter((h) => h.scrollWidth > h.clientWidth + 1 || (h.querySelector('button')?.scrollWidth ?? 0) > (h.querySelector('button')?.clientWidth ?? 0) + 1).map((h) => h.textContent),
  );

beforeAll(async () => {
  panel = await startPanel({ seed, viewport: { width: 1024, height: 768 } });
  page = panel.page;
  await page.goto(panel.url);
  await table().getByRole('row').nth(2).waitFor();
});

afterAll(async () => {
  await panel?.close();
});

describe('Fleet at 1024 px', () => {
  it('scrolls header and rows together, keeps Name in place and names the columns off to the right', async () => {
    const before = await columnEdges();
    expect(before.row).toEqual(before.header);
    const cue = page.getByRole('button', { name: /more columns? to the right/ });
    await cue.waitFor();
    const offBefore = Number(/(\d+) more/.exec((await cue.textContent()) ?? '')?.[1]);
    expect(offBefore).toBeGreaterThan(0);
    // The cue names them: the last column is always among those off to the right at 1024 px.
    expect(await cue.getAttribute('aria-label')).toMatch(/: .*Monthly$/);

    await table().evaluate((el) => el.scrollBy({ left: 240 }));
    await page.waitForFunction("(document.querySelector('.fleet-table')?.scrollLeft ?? 0) >= 200");
    const after = await columnEdges();
    expect(after.row).toEqual(after.header);
    // Name is sticky: still at the same place; the second column moved left.
    expect(after.header[0]).toBe(before.header[0]);
    expect(after.header[2]!).toBeLessThan(before.header[2]!);

    await table().evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await cue.waitFor({ state: 'detached' });
    await table().evaluate((el) => el.scrollTo({ left: 0 }));
    await cue.waitFor();
  });

  it('never cuts a header label, at 1024 and at 1440 px', async () => {
    expect(await cutHeaders()).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForFunction("document.querySelector('.fleet-table').clientWidth > 1000");
    expect(await cutHeaders()).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForFunction("document.querySelector('.fleet-table').clientWidth < 900");
  });

  it('keeps the end of a long name visible, shows the whole name in a tooltip, and the drift badge whole', async () => {
    const name = longName(0);
    const button = table().getByRole('button', { name, exact: true });
    const parts = await button.evaluate((b) => {
      const box = (e: typeof b | null): Box | null => (e ? (e.getBoundingClientRect().toJSON() as Box) : null);
      const cell = b.closest('[role="cell"]')!;
      const head = b.querySelector<typeof b>('.vm-name-head')!;
      const badge = cell.querySelector<typeof b>('.badge');
      return { cell: box(cell), tail: box(b.querySelector('.vm-name-tail')), headCut: head.scrollWidth > head.clientWidth, badge: box(badge), badgeText: badge?.textContent, badgeCut: badge ? badge.scrollWidth > badge.clientWidth : null };
    });
    const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5;
    expect(parts.headCut).toBe(true); // the name does not fit: the start gives way…
    expect(inside(parts.tail!, parts.cell!)).toBe(true); // …and the distinguishing end stays in view
    expect(parts.badgeText).toBe('drift');
    expect(parts.badgeCut).toBe(false);
    expect(inside(parts.badge!, parts.cell!)).toBe(true);

    // It reads as one word (a copied row holds the name whole).
    expect(await button.innerText()).toBe(name);
    await button.focus();
    await page.getByRole('tooltip').filter({ hasText: name }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('shows a name that fits its cell whole, without an ellipsis', async () => {
    const search = page.getByRole('searchbox', { name: 'Search instances' });
    for (const name of SHORT) {
      await search.fill(name);
      const button = table().getByRole('button', { name, exact: true });
      await button.waitFor();
      const headCut = await button.evaluate((b) => {
        const head = b.querySelector('.vm-name-head')!;
        return head.scrollWidth > head.clientWidth;
      });
      expect(headCut, name).toBe(false);
      expect(await button.innerText()).toBe(name);
    }
    await search.fill('');
    await table().getByRole('button', { name: longName(0), exact: true }).waitFor();
  });

  it('hides a column from the chooser, and the choice survives a reload', async () => {
    await page.getByRole('button', { name: /^Columns/ }).click();
    const region = page.getByRole('menuitemcheckbox', { name: 'Region' });
    expect(await region.getAttribute('aria-checked')).toBe('true');
    expect(await page.getByRole('menuitemcheckbox', { name: 'Name' }).getAttribute('aria-disabled')).toBe('true');
    await region.click();
    await page.keyboard.press('Escape');
    await table().getByRole('columnheader', { name: /^Region/ }).waitFor({ state: 'detached' });
    expect((await columnEdges()).row).toEqual((await columnEdges()).header);

    await page.reload();
    await table().getByRole('row').nth(2).waitFor();
    expect(await table().getByRole('columnheader', { name: /^Region/ }).count()).toBe(0);
    await page.getByRole('button', { name: /^Columns/ }).click();
    await page.getByRole('menuitem', { name: 'Show all' }).click();
    await table().getByRole('columnheader', { name: /^Region/ }).waitFor();
  });

  it('moves one row per ArrowDown, even 20 presses faster than a frame', async () => {
    await page.keyboard.press('Escape');
    await table().getByRole('button', { name: longName(0), exact: true }).focus();
    // Twenty key-downs dispatched in one task, as a held key's auto-repeat can outpace rendering.
    await page.evaluate("for (let n = 0; n < 20; n++) document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }))");
    await page.waitForFunction("document.activeElement?.getAttribute('data-row') === '20'");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe(longName(20));
    // And with real key presses: five more, then back up three.
    for (let n = 0; n < 5; n++) await page.keyboard.press('ArrowDown');
    for (let n = 0; n < 3; n++) await page.keyboard.press('ArrowUp');
    await page.waitForFunction("document.activeElement?.getAttribute('data-row') === '22'");
  });

  it('ran without page errors', () => {
    expect(panel.errors).toEqual([]);
  });
});
