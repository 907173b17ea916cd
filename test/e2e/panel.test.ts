// The operator's main path in Chromium against the simulators: record a payment, watch its job
// reach enrolled (reloading in the middle), find the VM in the fleet with its tailnet IP, inspect
// it, destroy it. Every screen is saved as a screenshot artifact, light and dark; dark is asserted on computed colours.
import { writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../fixtures/wait-until';
import { artifactPath } from './artifacts';
import { afterPaint, contrast, luminance, painted, prefersDark } from './colours';
import { startPanel, type Panel } from './harness';

let panel: Panel;
let page: Page;
let vmName = '';

const shot = (name: string) => page.screenshot({ path: artifactPath(`${name}.png`), fullPage: false });
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
const waitAttr = async (locator: Locator, attr: string, pred: (v: string | null) => boolean, timeout = 20_000) => {
  let value: string | null = null;
  await waitUntil(async () => pred((value = await locator.getAttribute(attr))), `${attr} to reach the expected value`, timeout);
  return value;
};

/** The dark theme is painted, not just screenshotted (test/e2e/dark-mode.test.ts checks every page in depth). */
async function expectDark(name: string): Promise<void> {
  expect(await prefersDark(page), name).toBe(true);
  for (const p of await painted(page, ['.content h1', '.nav-item.active', '.sidebar .brand', '.content .muted'])) {
    expect(luminance(p.background), `${name} ${p.selector} background`).toBeLessThan(0.1);
    expect(contrast(p.text, p.background), `${name} ${p.selector} contrast`).toBeGreaterThanOrEqual(4.5);
  }
}

beforeAll(async () => {
  panel = await startPanel();
  page = panel.page;
  await panel.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(panel.url).origin });
});

afterAll(async () => {
  await panel?.close();
});

describe('the control panel, end to end (browser mode)', () => {
  it('starts empty and explains the next step', async () => {
    await page.goto(panel.url);
    await page.getByRole('region', { name: 'No VMs yet' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Sandbox' }).count()).resolves.toBe(1);
    await shot('fleet-empty');
    await nav('Payments');
    await page.getByRole('region', { name: 'No payments recorded' }).waitFor();
    await nav('Jobs');
    await page.getByRole('region', { name: 'No jobs yet' }).waitFor();
    await shot('jobs-empty');
  });

  it('validates the payment form inline with the contract schema', async () => {
    await nav('Payments');
    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record payment' });
    await dialog.getByRole('button', { name: 'Record and provision' }).click();
    await dialog.getByText('enter the payment reference').waitFor();
    await dialog.getByText('enter the customer').waitFor();
    await expect(dialog.getByRole('textbox', { name: 'Reference' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('payment-validation');
  });

  it('records a payment and follows its job live to enrolled, across a reload', async () => {
    const dialog = page.getByRole('dialog', { name: 'Record payment' });
    await dialog.getByRole('textbox', { name: 'Reference' }).fill('PAY-1001');
    await dialog.getByRole('textbox', { name: 'Customer' }).fill('ACME GmbH');
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('9.90');
    await dialog.getByRole('radio', { name: /^cx22:/ }).check();
    await dialog.getByRole('radio', { name: /Falkenstein/ }).check();
    await expect(dialog.getByText('enter the payment reference').count()).resolves.toBe(0);
    await shot('payment-dialog');
    // Hold the job at wait_enrolled long enough to reload in the middle of it.
    await panel.sim.addFault({ method: 'GET', path: '/tailscale/api/v2/tailnet/*/devices*', latencyMs: 3500, count: 1 });
    await dialog.getByRole('button', { name: 'Record and provision' }).click();
    const progress = dialog.getByRole('progressbar');
    await waitAttr(progress, 'aria-label', (v) => v?.includes('wait enrolled') ?? false);
    await shot('payment-job-running');

    await page.reload();
    await nav('Jobs');
    const running = page.getByRole('region', { name: 'Running jobs' });
    const card = running.getByRole('article').first();
    await card.waitFor();
    // Resynchronised from jobs:get: the earlier steps are done, wait_enrolled is running.
    await card.getByRole('listitem', { name: /^wait running: done/ }).waitFor();
    await card.getByRole('listitem', { name: /^wait enrolled: running/ }).waitFor();
    await shot('jobs-running');

    // ...and then live again over SSE: the job finishes without another reload.
    const finished = page.getByRole('region', { name: 'Recent jobs' }).getByRole('article').first();
    await finished.getByText('succeeded', { exact: true }).waitFor({ timeout: 20_000 });
    await expect(finished.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');
    // Browser mode's notification port: an in-app toast.
    await page.getByRole('region', { name: 'Notifications' }).getByText(/Provision of .* finished/).waitFor();
    await shot('jobs-succeeded');
  });

  it('shows the payment fulfilled with its time to enrolled and the chart', async () => {
    await nav('Payments');
    const row = page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: 'PAY-1001' });
    await row.getByText('fulfilled').waitFor();
    await expect(row.innerText()).resolves.toMatch(/ACME GmbH[\s\S]*€9\.90[\s\S]*\d+(\.\d)? s/);
    await expect(page.getByRole('img', { name: /Payment to enrolled.*PAY-1001.*1 of 1 within the 5-minute target/ }).count()).resolves.toBe(1);
    await shot('payments');
  });

  it('finds the VM in the fleet with its tailnet IP and shows every recorded field', async () => {
    await nav('Fleet');
    await page.getByRole('searchbox', { name: 'Search instances' }).fill('acme');
    const table = page.getByRole('table', { name: 'Instances' });
    const row = table.getByRole('row').filter({ hasText: 'ACME GmbH' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    vmName = cells[0]!.trim();
    expect(cells).toEqual(expect.arrayContaining(['running', 'online', 'cx22', '€4.51']));
    expect(cells.some((c) => /^100\.\d+\.\d+\.\d+$/.test(c))).toBe(true);
    await page.getByRole('searchbox', { name: 'Search instances' }).fill('');
    await shot('fleet');

    await row.getByRole('button', { name: vmName }).click();
    const detail = page.getByRole('dialog', { name: vmName });
    await detail.getByText(/^ssh root@100\./).waitFor();
    await detail.getByRole('list', { name: `Steps of Provision ${vmName}` }).waitFor();
    await detail.getByRole('button', { name: 'Copy tailnet ip' }).waitFor();
    await shot('instance-detail');

    await detail.getByRole('button', { name: 'Copy diagnostics' }).click();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    const report = JSON.parse(copied) as { instance: { name: string }; jobs: { events: unknown[] }[] };
    expect(report.instance.name).toBe(vmName);
    expect(report.jobs[0]!.events.length).toBeGreaterThan(10);
    expect(copied).not.toMatch(/tskey-|hcloud_|BEGIN .*PRIVATE/);
  });

  it('destroys the VM only after its name is typed', async () => {
    const detail = page.getByRole('dialog', { name: vmName });
    await detail.getByRole('button', { name: 'Destroy…' }).click();
    const confirm = page.getByRole('dialog', { name: `Destroy ${vmName}?` });
    const input = confirm.getByRole('textbox', { name: `Type ${vmName} to confirm` });
    const submit = confirm.getByRole('button', { name: 'Destroy VM' });
    await input.fill(vmName.slice(0, -1));
    expect(await submit.isDisabled()).toBe(true);
    await input.fill(vmName);
    await shot('destroy-confirm');
    await submit.click();
    await confirm.waitFor({ state: 'detached' });
    await detail.getByRole('article', { name: `Destroy ${vmName}` }).getByText('succeeded', { exact: true }).waitFor({ timeout: 20_000 });
    await detail.getByText('destroyed', { exact: true }).first().waitFor();
    await shot('instance-destroyed');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'No VMs yet' }).waitFor();
  });

  it('opens the provision dialog with region offers for the chosen type, and Escape closes it', async () => {
    await page.getByRole('button', { name: 'Provision VM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Provision a VM' });
    await dialog.getByRole('radio', { name: /^cx22:/ }).check();
    await dialog.getByText('cx22 is not offered in ash.').waitFor();
    await expect(dialog.getByRole('radio', { name: /Ashburn/ }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('radio', { name: /Falkenstein/ }).check();
    await shot('provision-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('logs every change in the audit, filterable', async () => {
    await nav('Audit');
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByRole('row').filter({ hasText: 'payments:record' }).waitFor();
    await page.getByRole('combobox', { name: 'Action' }).selectOption('instances:destroy');
    await expect(table.getByRole('row').filter({ hasText: 'payments:record' }).count()).resolves.toBe(0);
    await table.getByRole('row').filter({ hasText: 'instances:destroy' }).waitFor();
    await page.getByRole('combobox', { name: 'Action' }).selectOption('');
    await shot('audit');
  });

  it('shows regions and settings, and looks right in dark mode too', async () => {
    await nav('Regions');
    await page.getByRole('listitem', { name: 'fsn1 Falkenstein' }).waitFor();
    await shot('regions');
    await nav('Settings');
    await page.getByRole('textbox', { name: 'Operator name' }).waitFor();
    await shot('settings');
    await page.emulateMedia({ colorScheme: 'dark' });
    await afterPaint(page);
    await expectDark('Settings');
    await shot('settings-dark');
    for (const [name, file] of [['Jobs', 'jobs-dark'], ['Payments', 'payments-dark'], ['Regions', 'regions-dark']] as const) {
      await nav(name);
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await afterPaint(page);
      await expectDark(name);
      await shot(file);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('navigates by keyboard: Alt+digit pages, / focuses the search', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.keyboard.press('/');
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await expect(page.evaluate("document.activeElement?.getAttribute('aria-label')")).resolves.toBe('Search instances');
  });

  it('ran without page errors', () => {
    writeFileSync(artifactPath('panel-errors.json'), JSON.stringify(panel.errors, null, 2));
    expect(panel.errors).toEqual([]);
  });
});
