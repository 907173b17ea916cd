// The four flows an operator must be able to do without a mouse, in Chromium against the
// simulators: provision a VM from the Fleet page, destroy it (typed confirmation), record a
// payment, change a setting and save. Only page.keyboard is used — Tab, Shift+Tab, Enter, Space,
// arrows, Escape, typing — never a click, a hover or a mouse move. Wherever focus lands on a
// control the operator acts on, a focus ring must be painted (an outline on the focused element,
// or on the card around a visually hidden radio).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait-until';
import { startPanel, type Panel } from './harness';

let panel: Panel;
let page: Page;
let vmName = '';
const mouseEvents: string[] = [];

interface Focused {
  tag: string;
  type: string;
  role: string;
  /** The accessible name as far as a test needs it: aria-label, the label's text, else the text. */
  name: string;
  /** What paints the ring: the element itself, or (for a hidden radio) the card it sits in. */
  ring: string | null;
  checked: boolean;
  value: string;
}

// A string: this file is compiled without the DOM's types; it runs in the page.
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '';
  // The ring is an outline (the panel draws focus that way; a box-shadow is there without focus
  // too: the buttons' elevation, a chosen card's mark), painted: some width, not transparent.
  const ringOf = (e) => {
    const s = getComputedStyle(e);
    const painted = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\\(.*,\\s*0\\)$|transparent/.test(s.outlineColor);
    return painted ? s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : null;
  };
  // A visually hidden input (opacity 0) shows its focus on the card around it.
  const hidden = getComputedStyle(el).opacity === '0';
  const ring = hidden ? (el.parentElement ? ringOf(el.parentElement) : null) : ringOf(el);
  return { tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', role: el.getAttribute('role') || '', name: label.replace(/\\s+/g, ' ').trim(),
    ring, checked: Boolean(el.checked), value: 'value' in el ? String(el.value) : '' };
})()`;

const focused = async () => (await page.evaluate(FOCUSED)) as Focused | null;

/** Focus is on a control and a ring shows it. */
async function expectRing(what: string): Promise<Focused> {
  const f = await focused();
  expect(f, `focus on ${what}`).not.toBeNull();
  expect(f!.ring, `a visible focus ring on ${what} (${f!.tag} "${f!.name}")`).not.toBeNull();
  return f!;
}

/** Tab (or Shift+Tab) until the focused element matches, at most `max` presses; then the ring is asserted. */
async function tabTo(match: (f: Focused) => boolean, what: string, { back = false, max = 60 } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused();
    if (f && match(f)) return expectRing(what);
    seen.push(f ? `${f.tag}${f.type ? `[${f.type}]` : ''} "${f.name.slice(0, 40)}"` : '(body)');
  }
  throw new Error(`${what} was not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses; focus went through:\n${seen.join('\n')}`);
}

const named = (name: string | RegExp) => (f: Focused) => (typeof name === 'string' ? f.name === name : name.test(f.name));
const button = (name: string | RegExp) => (f: Focused) => f.tag === 'button' && named(name)(f);

/**
 * Moves through a radio group with the arrow keys until the focused radio matches, then makes sure
 * it is chosen: arrows choose as they move; Space chooses the radio Tab landed on in a group with
 * nothing chosen yet.
 */
async function arrowTo(match: (f: Focused) => boolean, what: string, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    const f = await focused();
    if (f && match(f)) {
      if (!f.checked) await page.keyboard.press('Space');
      expect((await focused())?.checked, `${what} is chosen`).toBe(true);
      await expectRing(what);
      return;
    }
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`${what} was not reached with the arrow keys`);
}

/** Replaces a focused text field's value by typing. */
async function typeInto(text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** Goes to a page by tabbing to its sidebar entry and pressing Enter. */
async function navigate(name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await tabTo((f) => f.tag === 'button' && f.name.endsWith(name) && f.name.length <= name.length + 2, `the ${name} sidebar entry`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

beforeAll(async () => {
  panel = await startPanel({ seed: (store) => seedCatalog(store) });
  page = panel.page;
  // A mouse event would break this test's promise: any trusted one is counted (in the test, so the
  // count survives the reload in the Settings flow) and fails the last test.
  await page.exposeFunction('__mouseUsed', (type: string) => mouseEvents.push(type));
  await page.addInitScript(`for (const t of ['mousedown', 'mouseup', 'mousemove', 'pointerdown', 'click']) {
    // A click from Enter or Space on a button is trusted too, but has detail 0 and no pointer.
    window.addEventListener(t, (e) => { if (e.isTrusted && (t !== 'click' || e.detail > 0)) window.__mouseUsed(t); }, true);
  }`);
  await page.goto(panel.url);
  await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
});

afterAll(async () => {
  await panel?.close();
});

describe('keyboard only (no mouse): provision, destroy, record a payment, save a setting', () => {
  it('provisions a VM from the Fleet page and sees it appear', async () => {
    await tabTo(button('Provision VM'), 'Provision VM');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Provision a VM' });
    await dialog.getByRole('radio').first().waitFor();

    await tabTo((f) => f.type === 'radio' && f.name.includes('vCPU'), 'the server type cards');
    await arrowTo((f) => /^cx22:/.test(f.name), 'server type cx22');
    await tabTo((f) => f.type === 'radio' && /Falkenstein|Helsinki|Ashburn/.test(f.name), 'the region cards');
    await arrowTo((f) => f.name.startsWith('Falkenstein'), 'region Falkenstein');
    await tabTo((f) => f.tag === 'input' && f.name.startsWith('Agent'), 'the Agent field');
    await page.keyboard.type('kbd-runner');
    await tabTo((f) => f.tag === 'input' && f.name.startsWith('Customer'), 'the Customer field');
    await page.keyboard.type('Keyboard GmbH');
    await tabTo(button('Provision'), 'the Provision button');
    await page.keyboard.press('Enter');

    await dialog.getByText('Provisioning started', { exact: false }).waitFor();
    await dialog.getByRole('article').getByText('succeeded', { exact: true }).waitFor({ timeout: 20_000 });
    await tabTo(button('Done'), 'Done');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: 'Keyboard GmbH' });
    await row.waitFor();
    vmName = (await row.getByRole('cell').first().innerText()).trim();
    expect(vmName).toMatch(/kbd-runner/);
  });

  it('destroys it after typing its name', async () => {
    // From the page's top: the VM's name in the fleet opens its drawer.
    await tabTo(button(vmName), `the ${vmName} row`);
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: vmName });
    await drawer.waitFor();
    await tabTo(button('Destroy…'), 'Destroy…');
    await page.keyboard.press('Enter');

    const confirm = page.getByRole('dialog', { name: `Destroy ${vmName}?` });
    await confirm.waitFor();
    // The confirmation takes the focus in its name field.
    await waitUntil(async () => (await focused())?.name === `Type ${vmName} to confirm`, 'the confirmation field to take the focus');
    await expectRing('the confirmation field');
    await page.keyboard.type(vmName.slice(0, -1));
    await expect(confirm.getByRole('button', { name: 'Destroy VM' }).isDisabled()).resolves.toBe(true);
    await page.keyboard.type(vmName.slice(-1));
    await tabTo(button('Destroy VM'), 'Destroy VM');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await drawer.getByRole('article', { name: `Destroy ${vmName}` }).getByText('succeeded', { exact: true }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'No VMs yet' }).waitFor();
  });

  it('records a payment', async () => {
    await navigate('Payments');
    await tabTo(button('Record payment'), 'Record payment');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Record payment' });
    await dialog.waitFor();
    await waitUntil(async () => (await focused())?.name.startsWith('Reference') ?? false, 'the Reference field to take the focus');
    await expectRing('the Reference field');
    await page.keyboard.type('PAY-KBD-1');
    await tabTo((f) => f.name.startsWith('Customer'), 'the Customer field');
    await page.keyboard.type('Keys AG');
    await tabTo((f) => f.name.startsWith('Amount'), 'the Amount field');
    await page.keyboard.type('9.90');
    await tabTo((f) => f.type === 'radio' && f.name.includes('vCPU'), 'the server type cards');
    await arrowTo((f) => /^cx22:/.test(f.name), 'server type cx22');
    await tabTo((f) => f.type === 'radio' && /Falkenstein|Helsinki|Ashburn/.test(f.name), 'the region cards');
    await arrowTo((f) => f.name.startsWith('Falkenstein'), 'region Falkenstein');
    await tabTo(button('Record and provision'), 'Record and provision');
    await page.keyboard.press('Enter');
    await dialog.getByText('Payment PAY-KBD-1 recorded', { exact: false }).waitFor();
    await tabTo(button('Done'), 'Done');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: 'PAY-KBD-1' }).getByText('Keys AG').waitFor();
  });

  it('changes a setting in Settings and saves it', async () => {
    await navigate('Settings');
    await tabTo((f) => f.name.startsWith('Operator name'), 'Operator name');
    await typeInto('Kim Keys');
    await tabTo((f) => f.type === 'checkbox' && f.name.startsWith('When a type is out of stock'), 'the location fallback checkbox');
    const before = (await focused())!.checked;
    await page.keyboard.press('Space');
    expect((await focused())!.checked).toBe(!before);
    await tabTo(button('Save settings'), 'Save settings');
    await page.keyboard.press('Enter');
    // The confirmation is said and takes the focus (the Save button it left is disabled now).
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await waitUntil(async () => (await focused())?.name === 'Saved.', '"Saved." to take the focus');
    await expectRing('"Saved."');
    // Stored, not just drawn: after a reload the page reads them back.
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Operator name' }).inputValue()).resolves.toBe('Kim Keys');
    await expect(page.getByRole('checkbox', { name: /When a type is out of stock/ }).isChecked()).resolves.toBe(!before);
  });

  it('used no mouse and raised no page error', async () => {
    expect(mouseEvents).toEqual([]);
    expect([...new Set(panel.errors)]).toEqual([]);
  });
});
