// `outpost web` (runWeb) when live mode was asked for and cannot be used: the panel is served,
// blocked — over HTTP it answers app:info with the reason and refuses the fleet — instead of
// quietly serving the simulated clouds.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlocked } from '../../../electron/boot/blocked-runtime';
import { runWeb } from '../../../electron/cli/commands/web';
import { silentLogger } from '../../../electron/core/log';
import { MemorySettings } from '../../../electron/core/settings';
import { fixedPassphrase } from '../../../electron/core/vault';
import { tempDir } from '../../fixtures/temp-dir';

let dir: string;
let cleanup: () => void;
let served: Awaited<ReturnType<typeof runWeb>>;

const rpc = (channel: string, body: unknown = {}) =>
  fetch(`${served.server.url}rpc/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(
    async (r) => (await r.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; hint?: string } },
  );

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('outpost-web-blocked-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Outpost</title>');
  const dataDir = join(dir, 'data');
  served = await runWeb({
    dataDir,
    port: 0,
    mode: 'live',
    rendererDir,
    runtime: { settings: new MemorySettings(), log: silentLogger, vaultCiphers: { passphrase: fixedPassphrase('never used here') }, liveUrls: { hetznerUrl: 'http://127.0.0.1:9/v1', tailscaleUrl: 'http://127.0.0.1:9' } },
  });
});
afterAll(async () => {
  await served.server.close();
  await served.runtime.close();
  cleanup();
});

describe('browser mode with --mode live and no credentials', () => {
  it('serves the panel blocked: app:info names the reason and that --mode live asked for it', async () => {
    expect(isBlocked(served.runtime)).toBe(true);
    const info = await rpc('app:info');
    expect(info.ok).toBe(true);
    expect(info.data).toMatchObject({ mode: 'live', liveUnavailable: { reason: 'neither the Hetzner token nor the Tailscale OAuth client is stored.', requestedBy: 'option' } });
  });

  it('refuses the fleet over HTTP with the reason and the way to sandbox, and opens no store', async () => {
    const list = await rpc('instances:list');
    expect(list.ok).toBe(false);
    expect(list.error?.message).toBe('Live mode is unavailable: neither the Hetzner token nor the Tailscale OAuth client is stored.');
    expect(list.error?.hint).toContain('run without --mode live (or with --mode sandbox)');
    expect(readdirSync(join(dir, 'data'))).not.toContain('sandbox.db');
    expect(readdirSync(join(dir, 'data'))).not.toContain('live.db');
  });
});
