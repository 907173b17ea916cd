// One browser-mode panel against the in-process simulators, fast: a short simulated time scale and
// a short enrollment interval. `runWeb` takes neither option yet, so this composes what it does
// (startRuntime + SseHub + startWebServer) with the tuning the e2e suite needs.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startRuntime, storeFile, type Runtime } from '../../electron/boot/runtime';
import type { PipelineConfig } from '../../electron/core/provisioning/config';
import { DEFAULT_RENDERER_DIR } from '../../electron/cli/commands/web';
import { Store } from '../../electron/core/db/store';
import { SseHub } from '../../electron/server/sse';
import { startWebServer } from '../../electron/server/web-server';
import { SimControl } from '../../electron/sim/control';
import { tempDir } from '../fixtures/temp-dir';
import { launchChromium } from './browser';

export interface Panel {
  url: string;
  runtime: Runtime;
  sim: SimControl;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export interface PanelOptions {
  /** Writes rows before the runtime opens the store (through the repositories). */
  seed?: (store: Store) => Promise<void>;
  simTimeScale?: number;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  pipeline?: Partial<PipelineConfig>;
}

export async function startPanel(options: PanelOptions = {}): Promise<Panel> {
  const tmp = tempDir('outpost-e2e-');
  if (options.seed) {
    const store = await Store.open(storeFile(tmp.dir, 'sandbox'));
    try {
      await options.seed(store);
    } finally {
      // Closed (and its writes on disk) before the runtime opens the same file.
      await store.close();
    }
  }
  process.env.OUTPOST_LOG_LEVEL ??= 'error';
  const hub = new SseHub();
  const runtime = await startRuntime({
    dataDir: tmp.dir,
    events: hub,
    mode: 'sandbox',
    simTimeScale: options.simTimeScale ?? 0.02,
    tuning: { enrollmentIntervalMs: 150, backoffBaseMs: 20 },
    fleetSyncIntervalMs: 0,
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
  });
  const server = await startWebServer({ handlers: runtime.handlers, hub, rendererDir: DEFAULT_RENDERER_DIR, port: 0 });
  const sim = new SimControl(runtime.sim!.url, runtime.sim!.controlSecret);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  return {
    url: server.url,
    runtime,
    sim,
    browser,
    context,
    page,
    errors,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
      await runtime.close();
      tmp.cleanup();
    },
  };
}
