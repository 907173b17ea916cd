// Dark mode, asserted on what Chromium computes rather than looked at in a screenshot: on every
// page the background is dark, the text is light, and every key element's text keeps a WCAG AA
// contrast (4.5:1) against what it sits on — and the light theme still holds when switched back.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInstance } from '../fixtures/seed';
import { artifactPath } from './artifacts';
import { afterPaint, contrast, luminance, painted, prefersDark, type Painted } from './colours';
import { startPanel, type Panel } from './harness';

let panel: Panel;
let page: Page;

const PAGES = ['Fleet', 'Jobs', 'Payments', 'Regions', 'Audit', 'Settings'] as const;

/** Elements every page has, then what the pages show in their content (absent ones are skipped per page, never all). */
const SHELL = ['.sidebar .brand', '.nav-item:not(.active)', '.nav-item.active', '.sandbox-banner', '.content h1', '.content .muted'];
const CONTENT = ['table th', 'table td', '.search', '.form input', '.form select', '.btn:not(.btn-primary):not(.btn-danger):not(.btn-ghost):not(:disabled)'];

const describePaint = (p: Painted) =>
  `${p.selector}: text rgb(${p.text.r},${p.text.g},${p.text.b}) on rgb(${p.background.r},${p.background.g},${p.background.b}), contrast ${contrast(p.text, p.background).toFixed(2)}`;

async function open(name: (typeof PAGES)[number]): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await afterPaint(page);
}

async function pageBackground(): Promise<number> {
  const [root] = await painted(page, ['.content']);
  return luminance(root!.background);
}

beforeAll(async () => {
  panel = await startPanel({
    colorScheme: 'dark',
    seed: async (store) => {
      await seedInstance(store, { name: 'vm-dark-01', customer: 'ACME GmbH', status: 'running', publicIpv4: '203.0.113.7', tailnetIp: '100.64.0.7' });
    },
  });
  page = panel.page;
  await page.goto(panel.url);
  await page.getByRole('button', { name: 'vm-dark-01', exact: true }).waitFor();
});
afterAll(async () => {
  await panel?.close();
});

describe('dark mode (computed colours in Chromium)', () => {
  it('is what the page sees: prefers-color-scheme: dark', async () => {
    expect(await prefersDark(page)).toBe(true);
  });

  for (const name of PAGES) {
    it(`${name}: dark background, light text, AA contrast on every key element`, async () => {
      await open(name);
      expect(await pageBackground(), `${name} background`).toBeLessThan(0.03);
      const shell = await painted(page, SHELL);
      expect(shell.map((p) => p.selector), `${name}: the shell is all there`).toEqual(SHELL);
      const content = await painted(page, CONTENT);
      for (const p of [...shell, ...content]) {
        expect(contrast(p.text, p.background), `${name} ${describePaint(p)}`).toBeGreaterThanOrEqual(4.5);
        // Dark theme: light text on a dark surface (banners and the active item use tinted, still dark, surfaces).
        expect(luminance(p.background), `${name} ${describePaint(p)}`).toBeLessThan(0.1);
        expect(luminance(p.text), `${name} ${describePaint(p)}`).toBeGreaterThan(luminance(p.background));
      }
      await page.screenshot({ path: artifactPath(`dark-${name.toLowerCase()}.png`) });
    });
  }

  it('keeps AA contrast on filled buttons (text on the accent), which the light/dark direction rule leaves out', async () => {
    await open('Fleet');
    const [primary] = await painted(page, ['.btn-primary:not(:disabled)']);
    expect(primary, 'the Fleet page has an enabled primary button').toBeDefined();
    expect(contrast(primary!.text, primary!.background), describePaint(primary!)).toBeGreaterThanOrEqual(4.5);
  });

  it('switches back to the light theme: light background, dark text, AA contrast', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await prefersDark(page)).toBe(false);
    await open('Fleet');
    expect(await pageBackground()).toBeGreaterThan(0.8);
    for (const p of await painted(page, [...SHELL, ...CONTENT])) {
      expect(contrast(p.text, p.background), describePaint(p)).toBeGreaterThanOrEqual(4.5);
      expect(luminance(p.text), describePaint(p)).toBeLessThan(luminance(p.background));
    }
  });

  it('raised no page or console errors', () => {
    expect(panel.errors).toEqual([]);
  });
});
