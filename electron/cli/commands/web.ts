// `outpost web`: browser mode — the panel served to a browser on 127.0.0.1.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startRuntime, type Mode } from '../../boot/runtime';
import { startWebServer, type RunningWebServer } from '../../server/web-server';
import { SseHub } from '../../server/sse';
import type { Runtime, RuntimeOptions } from '../../boot/runtime';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../dist-web', import.meta.url));

export interface WebOptions {
  dataDir: string;
  port: number;
  mode?: Mode;
  rendererDir?: string;
  /** Passed through to the runtime (tests shorten the sandbox's delays and the watchers' intervals). */
  runtime?: Omit<RuntimeOptions, 'dataDir' | 'events' | 'mode'>;
}

export async function runWeb(options: WebOptions): Promise<{ runtime: Runtime; server: RunningWebServer }> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(rendererDir)) {
    throw new Error(`The browser build is missing (${rendererDir}). Run \`npm run build:web\` first, or use \`npm run web\`.`);
  }
  const hub = new SseHub();
  const runtime = await startRuntime({ ...options.runtime, dataDir: options.dataDir, events: hub, mode: options.mode });
  // The runtime's redacting logger, so browser mode's internal errors land where the runtime's do.
  const server = await startWebServer({ handlers: runtime.handlers, hub, rendererDir, port: options.port, log: runtime.log });
  return { runtime, server };
}
