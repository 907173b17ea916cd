// `outpost web`: browser mode — the panel served to a browser on 127.0.0.1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../../boot/runtime';
import { startWebServer, type RunningWebServer } from '../../server/web-server';
import { SseHub } from '../../server/sse';
import type { Runtime, RuntimeOptions } from '../../boot/runtime';
import { isBlocked, startPanelRuntime, type PanelRuntime } from '../../boot/blocked-runtime';
import { createLogger } from '../../core/log';
import { createPaymentWebhook, unavailableWebhook, type PaymentWebhook } from '../../core/payments/webhook/receive';
import { webhookSecretsFrom } from '../../core/payments/webhook/secret';
import { systemClock } from '../../core/ports';
import { installDir } from '../install-dir';

// dist-web/ sits at the top of the install, whichever file this code was bundled into.
export const DEFAULT_RENDERER_DIR = join(installDir(), 'dist-web');

export interface WebOptions {
  dataDir: string;
  port: number;
  mode?: Mode;
  rendererDir?: string;
  /** Where OUTPOST_WEBHOOK_SECRET is read (default: the process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Passed through to the runtime (tests shorten the sandbox's delays and the watchers' intervals). */
  runtime?: Omit<RuntimeOptions, 'dataDir' | 'events' | 'mode'>;
}

/**
 * Serves the panel. When live mode was asked for and cannot be used, the panel is served blocked
 * (it explains why and lets the operator switch to sandbox on purpose) instead of failing to start:
 * someone has to be told. Sandbox never blocks, hence the narrower type when it is asked for.
 */
export async function runWeb(options: WebOptions & { mode: 'sandbox' }): Promise<{ runtime: Runtime; server: RunningWebServer }>;
export async function runWeb(options: WebOptions): Promise<{ runtime: PanelRuntime; server: RunningWebServer }>;
export async function runWeb(options: WebOptions): Promise<{ runtime: PanelRuntime; server: RunningWebServer }> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(rendererDir)) {
    throw new Error(`The browser build is missing (${rendererDir}). Run \`npm run build:web\` first, or use \`npm run web\`.`);
  }
  // Read before anything starts: a secret too short to keep is refused, not run with.
  const webhookSecrets = webhookSecretsFrom(options.env ?? process.env);
  const hub = new SseHub();
  // One redacting logger for the runtime and the server, so browser mode's internal errors land
  // where the runtime's do (a blocked runtime has no logger of its own to borrow).
  const log = options.runtime?.log ?? createLogger({ name: 'outpost', level: (process.env.OUTPOST_LOG_LEVEL as never) ?? 'info', file: { dir: options.dataDir } });
  const runtime = await startPanelRuntime({ ...options.runtime, log, dataDir: options.dataDir, events: hub, mode: options.mode });
  try {
    let webhook: PaymentWebhook | undefined;
    if (webhookSecrets) {
      webhook = isBlocked(runtime)
        ? unavailableWebhook
        : createPaymentWebhook({ store: runtime.store, handlers: runtime.handlers, clock: options.runtime?.clock ?? systemClock, secrets: webhookSecrets, log });
    }
    const server = await startWebServer({ handlers: runtime.handlers, hub, rendererDir, port: options.port, log, webhook });
    return { runtime, server };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}
