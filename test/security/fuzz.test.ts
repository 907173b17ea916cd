// 10,000+ generated payloads across every channel, over HTTP in browser mode. Each is answered with
// a typed error or a result matching the channel's response schema; the process stays up; a
// refused call changes nothing in the store.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, channels, type Channel } from '../../shared/contract';
import { ERROR_CODES, type Result } from '../../shared/errors';
import { startRuntime, type Runtime } from '../../electron/boot/runtime';
import { silentLogger } from '../../electron/core/log';
import { MemorySettings } from '../../electron/core/settings';
import { fixedPassphrase } from '../../electron/core/vault';
import { SseHub } from '../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../electron/server/web-server';
import { tempDir } from '../fixtures/temp-dir';

const RUNS_PER_CHANNEL = Math.ceil(10_000 / CHANNELS.length);

let runtime: Runtime;
let server: RunningWebServer;
let cleanup: () => void;
const settings = new MemorySettings();

beforeAll(async () => {
  const tmp = tempDir('outpost-fuzz-');
  cleanup = tmp.cleanup;
  runtime = await startRuntime({
    dataDir: tmp.dir,
    events: new SseHub(),
    settings,
    mode: 'sandbox',
    simTimeScale: 0.01,
    log: silentLogger,
    fleetSyncIntervalMs: 0,
    vaultCiphers: { passphrase: fixedPassphrase('fuzzing passphrase') },
    liveUrls: { hetznerUrl: 'http://127.0.0.1:9/hetzner/v1', tailscaleUrl: 'http://127.0.0.1:9/tailscale' },
  });
  server = await startWebServer({ handlers: runtime.handlers, hub: new SseHub(), rendererDir: tmp.dir });
  // Support role: a payload that passes validation on a mutating channel is refused (typed), so no
  // provisioning runs in the background and the store stays still between calls.
  settings.set('role', 'support');
});
afterAll(async () => {
  await server?.close();
  await runtime?.close();
  cleanup?.();
});

async function post(channel: string, body: string): Promise<{ status: number; result: Result<unknown> }> {
  const res = await fetch(`${server.url}rpc/${encodeURIComponent(channel)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return { status: res.status, result: (await res.json()) as Result<unknown> };
}

/** Everything the pipeline owns; audit_log may gain a "refused" line, nothing else may change. */
function fingerprint(): string {
  const db = runtime.store.db;
  return ['agents', 'payments', 'jobs', 'job_events', 'instances']
    .map((t) => JSON.stringify(db.prepare(`SELECT count(*) AS n, total(length(CAST(${t === 'job_events' ? 'data' : 'id'} AS BLOB))) AS l FROM ${t}`).get()))
    .join('|');
}

/** Values that look like each channel's fields, plus anything at all. */
const fieldValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('fsn1', 'nbg1', 'cx22', 'ubuntu-24.04', 'hetzner', 'tailscale', 'EUR', 'operator', 'support', 'live', 'sandbox', '', ' ', '../../etc', '\u0000', 'tag:x'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
);
const KNOWN_FIELDS = [
  'region', 'serverType', 'image', 'agentName', 'customer', 'name', 'jobId', 'instanceId', 'confirmName', 'reference', 'amount',
  'currency', 'plan', 'contact', 'note', 'status', 'limit', 'search', 'includeDestroyed', 'provider', 'token', 'clientId',
  'clientSecret', 'role', 'mode', 'operatorName', 'sshKeys', 'tailscaleTags', 'defaultImage', 'locationFallback', 'action', 'actor',
];
const payload = fc.oneof(
  fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), fieldValue, { maxKeys: 8 }),
  fc.anything({ maxDepth: 3 }),
  fc.constant({}),
);

describe('fuzzing every channel over HTTP', () => {
  it(`answers ${RUNS_PER_CHANNEL * CHANNELS.length} generated payloads with a typed error or a valid result, changing nothing when refused`, async () => {
    let calls = 0;
    for (const channel of CHANNELS) {
      await fc.assert(
        fc.asyncProperty(payload, async (body) => {
          const before = fingerprint();
          const { status, result } = await post(channel, JSON.stringify(body) ?? 'null');
          calls += 1;
          expect(status).toBe(200);
          if (result.ok) {
            expect(() => channels[channel as Channel].res.parse(result.data)).not.toThrow();
          } else {
            expect(ERROR_CODES).toContain(result.error.code);
            expect(result.error.code, `${channel} ${JSON.stringify(body)} -> ${result.error.message}`).not.toBe('internal');
            expect(typeof result.error.message).toBe('string');
            expect(fingerprint()).toBe(before);
          }
          // settings:update may have switched the role back; keep refusing mutations.
          if (settings.get('role') !== 'support') settings.set('role', 'support');
        }),
        { numRuns: RUNS_PER_CHANNEL, seed: 20261128 },
      );
    }
    expect(calls).toBeGreaterThanOrEqual(10_000);
    // Still up and answering.
    expect((await post('app:info', '{}')).result.ok).toBe(true);
  });

  it('answers malformed bodies, unknown channels and wrong content types without dying', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom(...CHANNELS, 'nope:nope', '../app:info', '%00'), async (text, channel) => {
        const before = fingerprint();
        const res = await fetch(`${server.url}rpc/${encodeURIComponent(channel)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
        expect([200, 400]).toContain(res.status);
        const body = (await res.json()) as Result<unknown>;
        if (!body.ok) {
          expect(ERROR_CODES).toContain(body.error.code);
          expect(body.error.code).not.toBe('internal');
          expect(fingerprint()).toBe(before);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
    expect((await post('app:info', '{}')).result.ok).toBe(true);
  });
});
