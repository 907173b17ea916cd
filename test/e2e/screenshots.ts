// `npm run screenshots`: the README's pictures, taken from the e2e harness (browser mode against the
// simulators) on a seeded sandbox, light theme, 1440×900: the Fleet page, one job's step timeline
// (the VM's drawer) and the Payments chart, written to docs/screenshots/*.png. Not a test (no
// vitest, not in the e2e project's include): a script run by tsx, so `npm test` never runs it and
// never reports it as skipped.
//
// Stable images: fixed VM names, IPs, agents and customers; ages relative to the run (the seeded
// rows are a fixed time before it), payments recorded and finished before the page loads (no
// toasts), the simulators time-scaled. What still varies between runs is a job's simulated
// durations by a few seconds (the simulator's latencies are scaled wall time).
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seedCatalog, seedInstance } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait-until';
import { startPanel } from './harness';

const OUT = join(process.cwd(), 'docs', 'screenshots');
const MAX_BYTES = 300 * 1024;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const SEEDED = [
  { name: 'acme-ci-01', agent: 'build-runner', customer: 'ACME GmbH', publicIpv4: '203.0.113.10', tailnetIp: '100.64.0.10', at: hoursAgo(26) },
  { name: 'acme-ci-02', agent: 'build-runner', customer: 'ACME GmbH', publicIpv4: '203.0.113.11', tailnetIp: '100.64.0.11', at: hoursAgo(25) },
  { name: 'nordlicht-01', agent: 'crawler', customer: 'Nordlicht Oy', region: 'hel1', serverType: 'cx32', publicIpv4: '203.0.113.20', tailnetIp: '100.64.0.20', at: hoursAgo(72) },
  { name: 'helpdesk-01', agent: 'support-bot', customer: null, region: 'ash', publicIpv4: '203.0.113.30', tailnetIp: '100.64.0.30', at: hoursAgo(5) },
];

// Recorded through the handlers, so each runs a real provisioning job against the simulators.
const PAYMENTS = [
  { reference: 'PAY-2026-0412', customer: 'Blaupause AG', amount: 9.9, name: 'blaupause-01', agentName: 'review-agent' },
  { reference: 'PAY-2026-0413', customer: 'Fjord Labs', amount: 9.9, name: 'fjord-01', agentName: 'support-bot' },
  { reference: 'PAY-2026-0414', customer: 'Kranich KG', amount: 19.8, name: 'kranich-01', agentName: 'build-runner' },
  { reference: 'PAY-2026-0415', customer: 'Oriel Studio', amount: 9.9, name: 'oriel-01', agentName: 'render-agent' },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const panel = await startPanel({
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    // Real time (the e2e suite runs 50× faster): the timeline and the chart (time to enrolled
    // against the 5-minute target) show what a provision takes; the jobs run in parallel, ~90 s.
    simTimeScale: 1,
    seed: async (store) => {
      await seedCatalog(store);
      for (const s of SEEDED) await seedInstance(store, s);
    },
  });
  const { page, runtime } = panel;
  const ctx = { transport: 'http' } as const;
  try {
    for (const p of PAYMENTS) {
      await runtime.handlers['payments:record']({ ...p, currency: 'EUR', plan: 'cx22', region: 'fsn1' }, ctx);
    }
    await waitUntil(
      async () => (await runtime.handlers['payments:list']({}, ctx)).filter((p) => p.status === 'fulfilled').length === PAYMENTS.length,
      'every payment to be fulfilled',
      240_000,
    );

    const shot = async (file: string) => {
      await page.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))');
      const path = join(OUT, file);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      const bytes = statSync(path).size;
      if (bytes > MAX_BYTES) throw new Error(`${file} is ${Math.round(bytes / 1024)} KB, over the ${MAX_BYTES / 1024} KB budget`);
      console.log(`${path}  ${Math.round(bytes / 1024)} KB`);
    };
    const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

    await page.goto(panel.url);
    const table = page.getByRole('table', { name: 'Instances' });
    for (const name of [...SEEDED.map((s) => s.name), ...PAYMENTS.map((p) => p.name)]) await table.getByRole('button', { name, exact: true }).waitFor();
    await shot('fleet.png');

    const vm = PAYMENTS[2]!.name;
    await table.getByRole('button', { name: vm, exact: true }).click();
    const drawer = page.getByRole('dialog', { name: vm });
    const steps = drawer.getByRole('list', { name: `Steps of Provision ${vm}` });
    await steps.waitFor();
    await drawer.getByRole('region', { name: 'Jobs of this instance' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    // The drawer takes the focus; the picture shows no focus ring on its first control.
    await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
    await shot('job-timeline.png');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await nav('Payments');
    await page.getByRole('img', { name: /Payment to enrolled/ }).waitFor();
    await page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: PAYMENTS[0]!.reference }).waitFor();
    await shot('payments.png');

    if (panel.errors.length > 0) throw new Error(`page errors while taking the screenshots:\n${panel.errors.join('\n')}`);
  } finally {
    await panel.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
