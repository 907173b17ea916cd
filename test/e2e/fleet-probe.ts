// Timing the Fleet from inside the page (e2e fleet-10k and bench scenario 5), in the page's own clock
// so a test runner's round trips are not counted:
// - firstRow: ms from the navigation's start to the frame that shows the first fleet row;
// - keys: per keystroke, ms from its keydown to the frame that shows the store's answer for the new
//   text (the count stops being busy: FleetPage marks it aria-busy while a new filter's first window
//   is on its way, showing the previous rows meanwhile).
import type { Page } from 'playwright-core';

export interface FleetProbe {
  firstRow: number | null;
  keys: number[];
}

/** Installed with page.addInitScript before the page loads. */
export const FLEET_PROBE = `(() => {
  const probe = { firstRow: null, keys: [], t0: null };
  window.__fleetProbe = probe;
  const frame = (fn) => requestAnimationFrame(() => fn(performance.now()));
  document.addEventListener('keydown', () => { probe.t0 = performance.now(); }, true);
  new MutationObserver(() => {
    if (probe.firstRow === null && document.querySelector('.row-open')) {
      probe.firstRow = -1;
      frame((t) => { probe.firstRow = t; });
    }
    if (probe.t0 !== null && document.querySelector('p.count[aria-busy="false"]')) {
      const t0 = probe.t0;
      probe.t0 = null;
      frame((t) => probe.keys.push(t - t0));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
})();`;

export async function fleetProbe(page: Page): Promise<FleetProbe> {
  await page.waitForFunction(() => ((globalThis as unknown as { __fleetProbe?: FleetProbe }).__fleetProbe?.firstRow ?? -1) >= 0);
  return page.evaluate(() => {
    const p = (globalThis as unknown as { __fleetProbe: FleetProbe }).__fleetProbe;
    return { firstRow: p.firstRow === null ? null : Math.round(p.firstRow), keys: p.keys.map((k) => Math.round(k * 10) / 10) };
  });
}
