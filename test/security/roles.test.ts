// The support role, on every transport, against every mutating channel the permission table lists:
// a VALID request (so it is the role, not the schema, that refuses) is answered `read_only`, changes
// no row of any table, no setting and not the vault, and leaves exactly one `refused` audit entry
// naming the transport. The requests name real rows (a running VM with its name typed, a cancelled
// job), so a guard that let one through would destroy, cancel or retry something and be seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../shared/contract';
import { VAULT_RESET_PHRASE } from '../../shared/tokens';
import { OutpostError, type Result } from '../../shared/errors';
import { MUTATING_CHANNELS, decide, isMutating, type Role } from '../../shared/permissions';
import { localApi } from '../../electron/core/dispatch';
import { silentLogger } from '../../electron/core/log';
import { registerIpc, type IpcMainLike } from '../../electron/main/ipc';
import { createSenderCheck } from '../../electron/main/origin';
import { FakeWebContents, ipcMain, resetElectronStub } from '../stubs/electron';
import { startSecuritySandbox, type SecuritySandbox } from './sandbox';
import { auditSince, snapshot } from './state';

let sb: SecuritySandbox;
let running: { instanceId: string; name: string; serverId: number };
let cancelledJob: string;
let unregisterIpc: () => void;

type Transport = 'cli' | 'http' | 'ipc';
const APP_FRAME = { url: 'app://outpost/index.html', parent: null };

/** One call over a transport, answered as the envelope that transport carries. */
const CALL: Record<Transport, (channel: Channel, request: unknown) => Promise<Result<unknown>>> = {
  cli: async (channel, request) => {
    try {
      return { ok: true, data: await localApi(sb.runtime.handlers, { transport: 'cli' }).call(channel, request as never) };
    } catch (err) {
      if (err instanceof OutpostError) return { ok: false, error: err.toBody() };
      throw err;
    }
  },
  http: async (channel, request) => (await sb.post(channel, JSON.stringify(request))).result,
  ipc: async (channel, request) => (await ipcMain.invoke(channel, { senderFrame: APP_FRAME, sender: new FakeWebContents() }, request)) as Result<unknown>,
};

/** A request each mutating channel accepts, naming rows that exist. A new mutating channel needs one here. */
function validRequest(channel: Channel): unknown {
  const requests: Partial<Record<Channel, unknown>> = {
    'app:restart': {},
    'instances:destroy': { instanceId: running.instanceId, confirmName: running.name },
    'provision:start': { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'support tries' },
    'provision:cancel': { jobId: cancelledJob },
    'jobs:retry': { jobId: cancelledJob },
    'payments:record': { reference: 'INV-SUPPORT', customer: 'ACME GmbH', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'fsn1' },
    // Support may rename itself and switch role; any other setting is refused.
    'settings:update': { operatorName: 'support desk', defaultImage: 'debian-12' },
    'tokens:set': { provider: 'hetzner', token: 'hcloud-token-for-the-role-test' },
    'tokens:clear': { provider: 'tailscale' },
    'tokens:reset': { confirm: VAULT_RESET_PHRASE },
    // Not a desktop runtime: were the guard to let support through, the answer would be unavailable, not read_only.
    'team:connect': { url: 'https://team.example.test', token: 'outpost_pat_not-a-real-token-0000' },
    'team:disconnect': {},
    // A real server: were the guard to let support through, the answer would not be read_only.
    'unowned:adopt': { serverId: running.serverId },
    'unowned:delete': { serverId: running.serverId, confirmName: running.name },
  };
  if (!(channel in requests)) throw new Error(`roles.test.ts has no valid request for the mutating channel ${channel}: add one`);
  return requests[channel];
}

/** A valid request for each read the table refuses to a role (the payments role and the audit). A new one needs one here. */
function refusedReadRequest(channel: Channel): unknown {
  const requests: Partial<Record<Channel, unknown>> = { 'app:openDataDir': {}, 'audit:list': { limit: 5 }, 'tokens:test': { provider: 'hetzner' } };
  if (!(channel in requests)) throw new Error(`roles.test.ts has no valid request for the refused read ${channel}: add one`);
  return requests[channel];
}

/**
 * As `role`, calls `channel` over `transport` and checks that the refusal leaves no trace other than its
 * audit entry: the answer carries `code`, no table, setting or vault changed, and there is exactly one
 * refused entry whose detail matches `detail`. Both restricted roles use this, so a check added here
 * applies to both of them.
 */
async function expectRefusedUnchanged(role: Role, transport: Transport, channel: Channel, request: unknown, code: 'read_only' | 'forbidden', detail: Record<string, unknown>): Promise<void> {
  sb.settings.set('role', role);
  const before = snapshot(sb.runtime);
  const answer = await CALL[transport](channel, request);
  const where = `${transport} ${channel}`;
  expect(answer, where).toMatchObject({ ok: false, error: { code } });
  await sb.runtime.runner.idle(); // a job a faulty guard let start would show up in the tables
  const after = snapshot(sb.runtime, before);
  expect(after.tables, `${where}: a table changed`).toEqual(before.tables);
  expect(after.settings, `${where}: the settings changed`).toEqual(before.settings);
  expect(after.vault, `${where}: the vault changed`).toBe(before.vault);
  const audited = auditSince(sb.runtime, before);
  expect(audited, `${where}: audit`).toHaveLength(1);
  expect(audited[0], where).toMatchObject({ action: channel, role, outcome: 'refused', detail });
}

beforeAll(async () => {
  sb = await startSecuritySandbox();
  const api = localApi(sb.runtime.handlers, { transport: 'cli' });
  const vm = await api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'kept' });
  const cancelled = await api.call('provision:start', { region: 'nbg1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'cancelled' });
  await api.call('provision:cancel', { jobId: cancelled.jobId });
  await sb.runtime.runner.idle();
  expect((await sb.runtime.store.jobs.get(vm.jobId))?.status).toBe('succeeded');
  expect((await sb.runtime.store.jobs.get(cancelled.jobId))?.status).toBe('cancelled');
  const instance = (await sb.runtime.store.instances.get(vm.instanceId))!;
  running = { instanceId: vm.instanceId, name: instance.name, serverId: instance.serverId! };
  cancelledJob = cancelled.jobId;
  resetElectronStub();
  unregisterIpc = registerIpc(ipcMain as unknown as IpcMainLike, sb.runtime.handlers, createSenderCheck(null), silentLogger);
});
afterAll(async () => {
  unregisterIpc?.();
  await sb?.close();
});

describe('the support role', () => {
  it('has mutating channels to refuse (the table is the source, not a list in this test)', () => {
    expect(MUTATING_CHANNELS.length).toBeGreaterThanOrEqual(9);
    for (const channel of MUTATING_CHANNELS) expect(decide('support', channel, validRequest(channel)).allowed, channel).toBe(false);
  });

  for (const transport of ['cli', 'http', 'ipc'] as const) {
    it(`is refused every mutating channel over ${transport}: read_only, nothing changed, one refused audit entry`, async () => {
      for (const channel of MUTATING_CHANNELS) {
        await expectRefusedUnchanged('support', transport, channel, validRequest(channel), 'read_only', { transport });
      }
    });
  }

  it('may still rename itself and read, over every transport', async () => {
    for (const transport of ['cli', 'http', 'ipc'] as const) {
      sb.settings.set('role', 'support');
      const renamed = await CALL[transport]('settings:update', { operatorName: `support via ${transport}` });
      expect(renamed, transport).toMatchObject({ ok: true, data: { operatorName: `support via ${transport}`, role: 'support' } });
      expect(await CALL[transport]('instances:list', {}), transport).toMatchObject({ ok: true });
    }
  });
});

describe('the payments role', () => {
  const refusedChanges = MUTATING_CHANNELS.filter((c) => c !== 'payments:record');
  const refusedReads = CHANNELS.filter((c) => !isMutating(c) && !decide('payments', c).allowed);

  it('may record payments and change nothing else; may not read the audit (the table is the source)', () => {
    expect(MUTATING_CHANNELS.filter((c) => decide('payments', c, validRequest(c)).allowed)).toEqual(['payments:record']);
    expect(refusedReads).toContain('audit:list');
    expect(decide('support', 'payments:record', validRequest('payments:record')).allowed).toBe(false);
  });

  for (const transport of ['cli', 'http', 'ipc'] as const) {
    it(`is refused every other change (read_only) and the reads that are not the fleet (forbidden) over ${transport}: nothing changed, one refused audit entry each`, async () => {
      for (const [channel, request, code] of [
        ...refusedChanges.map((c) => [c, validRequest(c), 'read_only'] as const),
        ...refusedReads.map((c) => [c, refusedReadRequest(c), 'forbidden'] as const),
      ]) {
        await expectRefusedUnchanged('payments', transport, channel, request, code, { transport, code });
      }
    });

    it(`records a payment over ${transport} (audited as the payments role), and reads the fleet and the payments`, async () => {
      sb.settings.set('role', 'payments');
      const reference = `INV-PAYMENTS-${transport}`;
      const before = snapshot(sb.runtime);
      const answer = await CALL[transport]('payments:record', { reference, customer: 'ACME GmbH', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'fsn1' });
      expect(answer, transport).toMatchObject({ ok: true, data: { created: true, payment: { reference } } });
      await sb.runtime.runner.idle();
      expect(await sb.runtime.store.payments.byReference(reference)).toMatchObject({ reference, customer: 'ACME GmbH' });
      expect(auditSince(sb.runtime, before)).toEqual([expect.objectContaining({ action: 'payments:record', role: 'payments', outcome: 'ok', detail: expect.objectContaining({ transport }) })]);
      for (const read of ['payments:list', 'instances:list', 'jobs:list', 'app:info'] as const) {
        expect(await CALL[transport](read, {}), `${transport} ${read}`).toMatchObject({ ok: true });
      }
    });
  }
});
