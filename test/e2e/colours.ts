// What the panel really paints: the computed text colour of an element and the background it
// sits on (the first ancestor that paints one), and the WCAG contrast between them. A dark theme
// that is only in a screenshot cannot be asserted; these numbers can.
import type { Page } from 'playwright-core';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface Painted {
  selector: string;
  text: Rgb;
  background: Rgb;
}

/** `rgb(1, 2, 3)` / `rgba(1, 2, 3, 1)` / `color(srgb 0.1 0.2 0.3)` as 0–255 channels. */
export function parseColour(css: string): Rgb {
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (rgb) return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) };
  const srgb = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(css);
  if (srgb) return { r: Number(srgb[1]) * 255, g: Number(srgb[2]) * 255, b: Number(srgb[3]) * 255 };
  throw new Error(`unexpected computed colour "${css}"`);
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function luminance({ r, g, b }: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Computed colours of the first element matching each selector (missing ones are left out). */
export async function painted(page: Page, selectors: readonly string[]): Promise<Painted[]> {
  const raw = (await page.evaluate(`(() => {
    const out = [];
    for (const selector of ${JSON.stringify(selectors)}) {
      const el = document.querySelector(selector);
      if (!el) continue;
      let bg = 'rgba(0, 0, 0, 0)';
      for (let n = el; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (!/^rgba\\([^)]*,\\s*0\\)$/.test(c) && c !== 'transparent') { bg = c; break; }
      }
      if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(document.documentElement).backgroundColor;
      out.push({ selector, text: getComputedStyle(el).color, background: bg });
    }
    return out;
  })()`)) as { selector: string; text: string; background: string }[];
  return raw.map((p) => ({ selector: p.selector, text: parseColour(p.text), background: parseColour(p.background) }));
}

/** Whether the page itself believes it is in dark mode (the media query the stylesheet uses). */
export const prefersDark = (page: Page): Promise<boolean> => page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") as Promise<boolean>;

/** Resolves after the browser has painted the current state (two animation frames), not after a fixed time. */
export const afterPaint = (page: Page): Promise<unknown> => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
