// axe-core over the panel in Chromium: the Fleet page, a VM's drawer, the Provision and Destroy
// dialogs, the Jobs, Payments, Regions, Audit and Settings pages, the Record payment dialog and the
// command palette, light and dark, at 1024 and 1440 px, with no serious or critical violation. One
// browser and one page for all 48 states (theme and size are switched in place). Every
// violation found, of any impact, is written to test-artifacts/e2e/a11y.json. It also checks that a
// toast never lands on a primary action (Provision VM, Done).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog, seedInstance } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait-until';
import { artifactPath } from './artifacts';
import { startPanel, type Panel } from './harness';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Box = { x: number; y: number; width: number; height: number };

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let panel: Panel;
let page: Page;
const report: Record<string, Violation[]> = {};
const VM = 'vm-a11y-build-runner-01';
const PAYMENT = 'PAY-A11Y-1';
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

/** axe on the document as it is now; injected once per page load. */
async function axe(state: string): Promise<Violation[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  // A string: this file is compiled without the DOM's types; it runs in the page.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as Violation[];
  report[state] = violations;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describeViolations = (vs: Violation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')} — ${v.nodes[0]?.failureSummary ?? ''}`).join('\n');

/** Waits for the page to settle (dialog animations, fonts) before axe reads colours. */
const settle = () => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');

async function states(label: string): Promise<Record<string, Violation[]>> {
  const found: Record<string, Violation[]> = {};
  await page.getByRole('table', { name: 'Instances' }).getByRole('button', { name: VM, exact: true }).waitFor();
  await settle();
  found[`${label} fleet`] = await axe(`${label} fleet`);

  await page.getByRole('table', { name: 'Instances' }).getByRole('button', { name: VM, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: VM });
  await drawer.getByRole('button', { name: 'Destroy…' }).waitFor();
  await settle();
  found[`${label} drawer`] = await axe(`${label} drawer`);

  await drawer.getByRole('button', { name: 'Destroy…' }).click();
  await page.getByRole('dialog', { name: `Destroy ${VM}?` }).waitFor();
  await settle();
  found[`${label} destroy`] = await axe(`${label} destroy`);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: `Destroy ${VM}?` }).waitFor({ state: 'detached' });
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Provision VM' }).click();
  const provision = page.getByRole('dialog', { name: 'Provision a VM' });
  await provision.getByRole('button', { name: 'Provision', exact: true }).waitFor();
  await page.getByRole('radiogroup').first().getByRole('radio').first().waitFor();
  await settle();
  found[`${label} provision`] = await axe(`${label} provision`);
  await page.keyboard.press('Escape');
  await provision.waitFor({ state: 'detached' });

  // Every other page, the payment dialog and the command palette, on the same page load.
  const pages: [name: string, ready: () => ReturnType<Page['locator']>][] = [
    ['Jobs', () => page.getByRole('region', { name: 'Recent jobs' }).getByRole('article').first()],
    ['Payments', () => page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: PAYMENT })],
    ['Regions', () => page.getByRole('listitem', { name: 'fsn1 Falkenstein' })],
    ['Audit', () => page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'payments:record' }).first()],
    ['Settings', () => page.getByRole('textbox', { name: 'Operator name' })],
  ];
  for (const [name, ready] of pages) {
    await nav(name);
    await ready().waitFor();
    await settle();
    found[`${label} ${name.toLowerCase()}`] = await axe(`${label} ${name.toLowerCase()}`);
    if (name === 'Payments') {
      await page.getByRole('button', { name: 'Record payment' }).click();
      const dialog = page.getByRole('dialog', { name: 'Record payment' });
      await dialog.getByRole('radiogroup').first().getByRole('radio').first().waitFor();
      await settle();
      found[`${label} payment dialog`] = await axe(`${label} payment dialog`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
  }

  await page.keyboard.press('ControlOrMeta+K');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('option').first().waitFor();
  await settle();
  found[`${label} palette`] = await axe(`${label} palette`);
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  await nav('Fleet');
  return found;
}

beforeAll(async () => {
  panel = await startPanel({
    viewport: { width: 1024, height: 768 },
    seed: async (store) => {
      await seedCatalog(store);
      const at = new Date(Date.now() - 3_600_000).toISOString();
      await seedInstance(store, { name: VM, agent: 'build-runner', customer: 'ACME GmbH', publicIpv4: '203.0.113.10', tailnetIp: '100.64.0.10', at });
      await seedInstance(store, { name: 'vm-a11y-pending-02', agent: 'crawler', status: 'provisioning', region: 'hel1' });
      const drifted = await seedInstance(store, { name: 'vm-a11y-drifted-03', agent: 'support-bot', publicIpv4: '203.0.113.11', tailnetIp: '100.64.0.11' });
      await store.instances.update(drifted, { drift: true }, at);
    },
  });
  page = panel.page;
  // A payment whose job has run, so Jobs, Payments (with its chart) and Audit have rows to check.
  await panel.runtime.handlers['payments:record']({ reference: PAYMENT, customer: 'ACME GmbH', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'fsn1' }, { transport: 'http' });
  await waitUntil(async () => (await panel.runtime.handlers['payments:list']({}, { transport: 'http' }))[0]?.status === 'fulfilled', 'the seeded payment to be fulfilled');
  await page.goto(panel.url);
});

afterAll(async () => {
  writeFileSync(artifactPath('a11y.json'), JSON.stringify(report, null, 2));
  await panel?.close();
});

describe('axe-core: no serious or critical violation', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1024, 1440]) {
      it(`${scheme} at ${width} px: fleet, drawer, destroy and provision dialogs, every other page, the payment dialog, the palette`, async () => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
        const found = await states(`${scheme} ${width}`);
        const serious = Object.entries(found).filter(([, vs]) => vs.length > 0);
        expect(serious.map(([state, vs]) => `${state}:\n${describeViolations(vs)}`).join('\n\n')).toBe('');
      });
    }
  }

  it('puts toasts where they cover no primary action: Provision VM, the dialog\'s Done, the drawer\'s Destroy', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1024, height: 768 });
    const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const box = async (l: ReturnType<Page['locator']>) => (await l.boundingBox())!;
    const toasts = page.locator('.toast');
    const provisionVm = await box(page.getByRole('button', { name: 'Provision VM' }));
    let first = '';

    // Two provisions: the first one's toast arrives over its result dialog, the second one's over the VM's drawer.
    for (const [n, agent] of ['toast-one', 'toast-two'].entries()) {
      await page.getByRole('button', { name: 'Provision VM' }).click();
      const dialog = page.getByRole('dialog', { name: 'Provision a VM' });
      await dialog.getByRole('radio', { name: /^cx22:/ }).check();
      await dialog.getByRole('radio', { name: /Falkenstein/ }).check();
      await dialog.getByLabel('Agent').fill(agent);
      await dialog.getByRole('button', { name: 'Provision', exact: true }).click();
      if (n === 0) {
        await toasts.filter({ hasText: /Provision of .* finished/ }).first().waitFor({ timeout: 30_000 });
        first = (await toasts.first().textContent()) ?? '';
        await settle();
        const done = await box(dialog.getByRole('button', { name: 'Done' }));
        for (const t of await toasts.all()) {
          expect(overlaps(await box(t), done)).toBe(false);
          expect(overlaps(await box(t), provisionVm)).toBe(false);
        }
        expect(await axe('light 1024 toast over the provision result')).toEqual([]);
        await dialog.getByRole('button', { name: 'Done' }).click();
      } else {
        // The VM link in the result opens its drawer (the modal closes first); the toast comes while it is open.
        await dialog.getByRole('article').getByRole('button').first().click();
        const drawer = page.getByRole('dialog', { name: /toast-two/ });
        await drawer.waitFor();
        await toasts.filter({ hasText: /Provision of .* finished/ }).filter({ hasNotText: first }).waitFor({ timeout: 30_000 });
        const destroy = drawer.getByRole('button', { name: 'Destroy…' });
        await destroy.scrollIntoViewIfNeeded();
        await settle();
        for (const t of await toasts.all()) expect(overlaps(await box(t), await box(destroy))).toBe(false);
        await page.keyboard.press('Escape');
        await drawer.waitFor({ state: 'detached' });
      }
    }
  });

  it('ran without page errors', () => {
    expect([...new Set(panel.errors)]).toEqual([]);
  });
});
