// Every channel of the contract × every role of the table × every transport (direct, the command's
// in-process API, HTTP): a role the table refuses gets `read_only` and changes nothing; a role it
// allows is never refused for its role. The request map is typed by channel, so a new channel does
// not compile until it is added here — it cannot be forgotten.
import { validRequests } from '../../fixtures/valid-requests';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type OutpostApi } from '../../../shared/contract';
import { ROLES } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { PERMISSIONS, SUPPORT_SETTINGS, decide } from '../../../shared/permissions';
import { localApi } from '../../../electron/core/dispatch';
import { SseHub } from '../../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../../electron/server/web-server';
import { createHttpApi } from '../../../renderer/src/api/http-client';
import { startHarness, type Harness } from '../../fixtures/pipeline';
import { seedInstance } from '../../fixtures/seed';
import { storeHash } from '../../fixtures/store-hash';

let h: Harness;
let server: RunningWebServer;
let instanceId: string;

/** A request each channel's schema accepts, so a refusal can only come from the role. */
const VALID = validRequests({ instanceId: () => instanceId, name: 'perm-vm', agent: 'perm', paymentReference: () => 'PERM-1' });

/** A content hash of every row of every table: an UPDATE shows, not only an INSERT. */
beforeAll(async () => {
  h = await startHarness();
  instanceId = await seedInstance(h.runtime.store, { name: 'perm-vm' });
  server = await startWebServer({ handlers: h.runtime.handlers, hub: new SseHub(), rendererDir: join(h.dir, 'no-renderer') });
});

afterAll(async () => {
  await server?.close();
  await h?.close();
});

const transports: { name: string; api: () => OutpostApi }[] = [
  { name: 'direct', api: () => localApi(h.runtime.handlers, { transport: 'ipc' }) },
  { name: 'cli', api: () => localApi(h.runtime.handlers, { transport: 'cli' }) },
  { name: 'http', api: () => createHttpApi(new URL(server.url)) },
];

/** The call's refusal, if any; a job it started is waited for, so later rows do not move under a hash. */
const refusal = async (call: Promise<unknown>): Promise<OutpostError | null> => {
  try {
    const result = (await call) as { jobId?: unknown } | undefined;
    if (typeof result?.jobId === 'string') await h.settle(result.jobId);
    return null;
  } catch (err) {
    if (err instanceof OutpostError) return err;
    throw err;
  }
};

describe('the permission table', () => {
  it('names every channel of the contract', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...CHANNELS].sort());
  });

  it('gives support every read and, of the mutations, only settings:update', () => {
    const support = CHANNELS.filter((c) => decide('support', c).allowed);
    expect(CHANNELS.filter((c) => !PERMISSIONS[c].mutates).every((c) => support.includes(c))).toBe(true);
    expect(support.filter((c) => PERMISSIONS[c].mutates)).toEqual(['settings:update']);
  });

  it('gives payments the fleet\'s reads, payments:record and, of the settings, its name and role; not the audit', () => {
    const payments = CHANNELS.filter((c) => decide('payments', c).allowed);
    expect(payments.filter((c) => PERMISSIONS[c].mutates).sort()).toEqual(['payments:record', 'settings:update']);
    expect(CHANNELS.filter((c) => !PERMISSIONS[c].mutates && !payments.includes(c)).sort()).toEqual(['app:openDataDir', 'audit:list', 'tokens:test']);
    for (const c of ['instances:list', 'instances:get', 'jobs:list', 'jobs:get', 'payments:list', 'regions:list', 'catalog:get', 'app:info', 'settings:get', 'tokens:status'] as const) {
      expect(payments, c).toContain(c);
    }
    expect(decide('payments', 'settings:update', { operatorName: 'Pat', role: 'operator' }).allowed).toBe(true);
    expect(decide('payments', 'settings:update', { sshKeys: [] }).allowed).toBe(false);
  });

  it('lets support change only its name and its role', () => {
    expect(SUPPORT_SETTINGS).toEqual(['operatorName', 'role']);
    expect(decide('support', 'settings:update', { operatorName: 'Sam' }).allowed).toBe(true);
    expect(decide('support', 'settings:update', { role: 'operator' }).allowed).toBe(true);
    for (const field of ['sshKeys', 'tailscaleTags', 'mode', 'locationFallback', 'defaultImage']) {
      expect(decide('support', 'settings:update', { operatorName: 'Sam', [field]: [] }).allowed, field).toBe(false);
    }
  });
});

describe.each(transports)('every channel × every role over $name', ({ name: transport, api }) => {
  for (const role of ROLES) {
    for (const channel of CHANNELS) {
      const allowed = decide(role, channel, VALID[channel]()).allowed;
      it(`${role} ${allowed ? 'may' : 'may not'} call ${channel}`, async () => {
        h.settings.set('role', role);
        const auditBefore = (await h.runtime.store.audit.list({ action: channel, limit: 5000 })).length;
        // Tables the runtime may touch on its own while this call runs (catalog refresh) are left out.
        const before = await storeHash(h.runtime.store, ['catalog', 'audit_log']);
        const error = await refusal(api().call(channel, VALID[channel]() as never));
        if (allowed) {
          expect(error?.code, `${role} ${channel} over ${transport}: ${error?.message}`).not.toBe('read_only');
          expect(error?.message ?? '', `${role} ${channel} over ${transport}`).not.toMatch(/^Not allowed: the \w+ role/);
          return;
        }
        // A refused change is read_only, a refused read (the payments role and the audit) forbidden;
        // either way the answer is the table's own reason.
        const decision = decide(role, channel, VALID[channel]());
        expect(error?.code).toBe(PERMISSIONS[channel].mutates ? 'read_only' : 'forbidden');
        expect(error?.message).toBe(decision.allowed ? undefined : decision.reason);
        expect(await storeHash(h.runtime.store, ['catalog', 'audit_log'])).toBe(before);
        const audit = await h.runtime.store.audit.list({ action: channel, limit: 5000 });
        expect(audit.length).toBe(auditBefore + 1);
        expect(audit[0]).toMatchObject({ role, outcome: 'refused', action: channel });
      });
    }
  }
});

describe('a caller whose role comes from its team account', () => {
  for (const transport of ['ipc', 'cli', 'http'] as const) {
    it(`cannot switch its role or rename itself over ${transport}, whatever the desktop's own role allows; refused and audited`, async () => {
      h.settings.set('role', 'operator');
      const principal = { actor: 'sam', role: 'support' as const, userId: 'usr_sam' };
      const api = localApi(h.runtime.handlers, { transport, principal });
      const before = await storeHash(h.runtime.store, ['catalog', 'audit_log']);
      const settingsBefore = await api.call('settings:get', {});
      for (const request of [{ role: 'operator' as const }, { operatorName: 'not sam' }]) {
        const error = await refusal(api.call('settings:update', request));
        expect(error?.code).toBe('forbidden');
        expect(error?.message).toMatch(/come from your team account/);
      }
      expect(await api.call('settings:get', {})).toEqual(settingsBefore);
      expect(await storeHash(h.runtime.store, ['catalog', 'audit_log'])).toBe(before);
      const [last] = await h.runtime.store.audit.list({ action: 'settings:update', limit: 1 });
      expect(last).toMatchObject({ actor: 'sam', role: 'support', outcome: 'refused', detail: { transport, code: 'forbidden' } });
      // Its own role is what the table is read with: support is refused a change, though the desktop says operator.
      expect((await refusal(api.call('settings:update', { sshKeys: [] })))?.code).toBe('read_only');
    });
  }
});
