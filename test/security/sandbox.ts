// A sandbox Outpost for the security suites: the in-process simulators on a fast clock, the
// browser-mode server in front of the same handlers, and a vault whose live endpoints are a closed
// port (a token check fails fast, typed, and never leaves the machine).
import type { Result } from '../../shared/errors';
import { startRuntime, type Runtime } from '../../electron/boot/runtime';
import { silentLogger } from '../../electron/core/log';
import { MemoryEventSink } from '../../electron/core/ports';
import { MemorySettings } from '../../electron/core/settings';
import { fixedPassphrase } from '../../electron/core/vault';
import { SseHub } from '../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../electron/server/web-server';
import { tempDir } from '../fixtures/temp-dir';
import { waitUntil } from '../fixtures/wait-until';
import { httpClient } from './http-client';

export interface SecuritySandbox {
  runtime: Runtime;
  server: RunningWebServer;
  settings: MemorySettings;
  /** Raw HTTP to the browser-mode server (path, method and headers as given). */
  http: ReturnType<typeof httpClient>;
  /** POSTs one rpc call over HTTP, body as given. */
  post(channel: string, body: string): Promise<{ status: number; result: Result<unknown> }>;
  close(): Promise<void>;
}

export async function startSecuritySandbox(): Promise<SecuritySandbox> {
  const tmp = tempDir('outpost-security-');
  const settings = new MemorySettings();
  const runtime = await startRuntime({
    dataDir: tmp.dir,
    events: new MemoryEventSink(),
    settings,
    mode: 'sandbox',
    // Fast enough that a provision finishes in about a second; the pipeline's own intervals shrink too.
    simTimeScale: 0.001,
    tuning: { enrollmentIntervalMs: 20, backoffBaseMs: 10, requestTimeoutMs: 2_000 },
    log: silentLogger,
    fleetSyncIntervalMs: 0,
    vaultCiphers: { passphrase: fixedPassphrase('security suite passphrase') },
    liveUrls: { hetznerUrl: 'http://127.0.0.1:9/hetzner/v1', tailscaleUrl: 'http://127.0.0.1:9/tailscale' },
  });
  // The catalog is refreshed in the background at start; a fuzz call must not race it.
  await waitUntil(async () => (await runtime.store.catalog.refreshedAt('server_type')) !== null && (await runtime.store.catalog.refreshedAt('image')) !== null, 'the catalog');
  const server = await startWebServer({ handlers: runtime.handlers, hub: new SseHub(), rendererDir: tmp.dir });
  const http = httpClient(server.port);
  return {
    runtime,
    server,
    settings,
    http,
    post: async (channel, body) => {
      const res = await http.send({ method: 'POST', path: `/${server.secret}/rpc/${encodeURIComponent(channel)}`, headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, result: JSON.parse(res.text) as Result<unknown> };
    },
    close: async () => {
      http.close();
      await server.close();
      await runtime.close();
      tmp.cleanup();
    },
  };
}
