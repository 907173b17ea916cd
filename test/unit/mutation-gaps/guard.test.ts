// The permission guard (shared/permissions.ts, electron/core/services/guard.ts, audit-detail.ts) on
// fakes: who may call what, what is refused and how, and the one audit entry each mutation leaves.
// Written to kill mutants StrykerJS found surviving (bench/results/mutation-survivors.md): a guard
// that lets support mutate, or an audit that loses who, what or the outcome, fails silently.
import { describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { decide, isMutating, MUTATING_CHANNELS, PERMISSIONS } from '../../../shared/permissions';
import { dispatch, type CallContext, type Handlers } from '../../../electron/core/dispatch';
import { guardMutations } from '../../../electron/core/services/guard';
import { auditTarget, changesOf, settingsDiff } from '../../../electron/core/services/audit-detail';
import { DEFAULT_SETTINGS } from '../../../shared/domain';

const CHANNELS = Object.keys(PERMISSIONS) as Channel[];
const OPERATOR_ONLY: Channel[] = ['instances:destroy', 'provision:start', 'provision:cancel', 'jobs:retry', 'tokens:set', 'tokens:clear', 'tokens:reset', 'unowned:adopt', 'unowned:delete', 'app:restart', 'team:connect', 'team:disconnect'];
/** The payments role's reads: the fleet and what its panel needs to render. Every other read is refused to it. */
const PAYMENTS_READS: Channel[] = [
  'app:info',
  'regions:list',
  'catalog:get',
  'instances:list',
  'instances:get',
  'instances:page',
  'jobs:list',
  'jobs:get',
  'payments:list',
  'fleet:sync',
  'unowned:list',
  'settings:get',
  'tokens:status',
  'team:status',
];
const HINT = 'Ask an operator, or switch your role to operator in Settings if you are one (the switch is audited).';

describe('decide', () => {
  it('the operator may call every channel', () => {
    for (const c of CHANNELS) expect(decide('operator', c, {}), c).toEqual({ allowed: true });
  });

  it('support may read everything and change nothing, told why and what to do', () => {
    for (const c of CHANNELS.filter((c) => !isMutating(c))) expect(decide('support', c, {}), c).toEqual({ allowed: true });
    for (const c of OPERATOR_ONLY) {
      expect(decide('support', c, {})).toEqual({
        allowed: false,
        reason: `Read-only: the support role cannot change anything (${c} is for operators).`,
        hint: HINT,
      });
    }
    expect(decide('support', 'payments:record', {})).toEqual({
      allowed: false,
      reason: 'Read-only: the support role cannot change anything (payments:record is for operators and the payments role).',
      hint: HINT,
    });
  });

  it('payments may record payments and read the fleet, nothing else, told why', () => {
    for (const c of CHANNELS.filter((c) => !isMutating(c))) {
      const expected = PAYMENTS_READS.includes(c)
        ? { allowed: true }
        : { allowed: false, reason: `Not allowed: the payments role cannot see this (${c} is for operators and support).`, hint: HINT };
      expect(decide('payments', c, {}), c).toEqual(expected);
    }
    expect(CHANNELS.filter((c) => !isMutating(c) && !decide('payments', c).allowed).sort()).toEqual(['app:openDataDir', 'audit:list', 'tokens:test']);
    expect(decide('payments', 'payments:record', { reference: 'INV-1' })).toEqual({ allowed: true });
    for (const c of OPERATOR_ONLY) {
      expect(decide('payments', c, {})).toEqual({
        allowed: false,
        reason: `Not allowed: the payments role may only record payments and read the fleet (${c} is for operators).`,
        hint: HINT,
      });
    }
    expect(decide('payments', 'settings:update', { operatorName: 'Pat', role: 'operator' })).toEqual({ allowed: true });
    expect(decide('payments', 'settings:update', { sshKeys: [] })).toEqual({
      allowed: false,
      reason: 'Read-only: the payments role may change only operatorName and role here, not sshKeys.',
      hint: HINT,
    });
  });

  it('support may change only its name and its role in settings', () => {
    expect(decide('support', 'settings:update')).toEqual({ allowed: true });
    expect(decide('support', 'settings:update', { operatorName: 'Sam' })).toEqual({ allowed: true });
    expect(decide('support', 'settings:update', { operatorName: 'Sam', role: 'operator' })).toEqual({ allowed: true });
    expect(decide('support', 'settings:update', { role: 'operator', sshKeys: undefined })).toEqual({ allowed: true });
    expect(decide('support', 'settings:update', null)).toEqual({ allowed: true });
    expect(decide('support', 'settings:update', { operatorName: 'Sam', sshKeys: [], mode: 'live' })).toEqual({
      allowed: false,
      reason: 'Read-only: the support role may change only operatorName and role here, not sshKeys, mode.',
      hint: expect.stringContaining('Ask an operator'),
    });
  });

  it('the mutating channels are exactly the operator-only ones, payments:record and settings:update', () => {
    expect([...MUTATING_CHANNELS].sort()).toEqual([...OPERATOR_ONLY, 'payments:record', 'settings:update'].sort());
    for (const c of CHANNELS) expect(isMutating(c), c).toBe(MUTATING_CHANNELS.includes(c));
  });
});

function harness(initial: Record<string, unknown> = {}) {
  const values = new Map<string, unknown>(Object.entries(initial));
  const settings = { get: <T>(k: string) => values.get(k) as T | undefined, set: (k: string, v: unknown) => void values.set(k, v) };
  const entries: Record<string, unknown>[] = [];
  // Async like the store's repositories: an audit entry the guard did not await would be missing below.
  const store = {
    audit: { append: async (e: Record<string, unknown>) => void entries.push(e) },
    instances: { get: async (id: string) => (id === 'inst_1' ? { name: 'vm-one' } : undefined) },
    jobs: { get: async (id: string) => (id === 'job_1' ? { instanceId: 'inst_1' } : undefined) },
  };
  const inner = vi.fn(async (_req: unknown) => ({ ok: 'answer' }) as unknown);
  const handlers = Object.fromEntries(CHANNELS.map((c) => [c, (req: unknown) => inner(req)])) as unknown as Handlers;
  const deps = { store, settings, clock: { now: () => Date.parse('2026-08-20T10:00:00Z') } } as unknown as Parameters<typeof guardMutations>[1];
  const guarded = guardMutations(handlers, deps) as unknown as Record<Channel, (req: unknown, ctx: CallContext) => Promise<unknown>>;
  return { guarded, handlers: guarded as unknown as Handlers, inner, entries, values };
}
const cli = { transport: 'cli' as const };

describe('guardMutations', () => {
  it("refuses support's mutation with read_only before the handler, and audits it as refused", async () => {
    const h = harness({ role: 'support', operatorName: 'Sam' });
    const call = h.guarded['provision:start']({ region: 'fsn1' }, cli);
    await expect(call).rejects.toMatchObject({ code: 'read_only', message: expect.stringContaining('provision:start is for operators'), hint: expect.stringContaining('Ask an operator') });
    expect(h.inner).not.toHaveBeenCalled();
    expect(h.entries).toEqual([
      {
        at: '2026-08-20T10:00:00.000Z',
        actor: 'Sam',
        role: 'support',
        action: 'provision:start',
        target: null,
        targetName: null,
        outcome: 'refused',
        detail: { transport: 'cli', code: 'read_only', message: expect.stringContaining('cannot change anything') },
      },
    ]);
  });

  it('reads pass through for every role and leave no audit entry', async () => {
    for (const role of ['support', 'operator', 'payments']) {
      const h = harness({ role });
      await expect(h.guarded['instances:list']({}, cli)).resolves.toEqual({ ok: 'answer' });
      expect(h.inner).toHaveBeenCalledTimes(1);
      expect(h.entries).toEqual([]);
    }
  });

  it('a read the table refuses is forbidden before the handler, and audited as refused', async () => {
    const h = harness({ role: 'payments', operatorName: 'Pat' });
    await expect(h.guarded['audit:list']({ limit: 5 }, cli)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Not allowed: the payments role cannot see this (audit:list is for operators and support).',
      hint: expect.stringContaining('Ask an operator'),
    });
    expect(h.inner).not.toHaveBeenCalled();
    expect(h.entries).toEqual([
      {
        at: '2026-08-20T10:00:00.000Z',
        actor: 'Pat',
        role: 'payments',
        action: 'audit:list',
        target: null,
        targetName: null,
        outcome: 'refused',
        detail: { transport: 'cli', code: 'forbidden', message: expect.stringContaining('cannot see this') },
      },
    ]);
  });

  it('payments records a payment (audited ok) and is refused any other change (read_only, audited)', async () => {
    const h = harness({ role: 'payments', operatorName: 'Pat' });
    await expect(h.guarded['payments:record']({ reference: 'INV-7', customer: 'Ada' }, cli)).resolves.toEqual({ ok: 'answer' });
    await expect(h.guarded['instances:destroy']({ instanceId: 'inst_1' }, cli)).rejects.toMatchObject({ code: 'read_only' });
    expect(h.inner).toHaveBeenCalledTimes(1);
    expect(h.entries.map((e) => [e.action, e.role, e.outcome, e.target])).toEqual([
      ['payments:record', 'payments', 'ok', 'INV-7'],
      ['instances:destroy', 'payments', 'refused', 'inst_1'],
    ]);
  });

  it('a signed-in team user cannot switch its role or rename itself, whatever the table lets its role do; audited', async () => {
    // The desktop's own setting says operator: the principal's role is what counts.
    const h = harness({ role: 'operator', operatorName: 'desk' });
    const ana = { transport: 'http' as const, principal: { actor: 'ana', role: 'support' as const, userId: 'usr_1' } };
    for (const request of [{ role: 'operator' }, { operatorName: 'boss' }, { role: 'support', operatorName: 'ana' }]) {
      await expect(h.guarded['settings:update'](request, ana)).rejects.toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(/^Not allowed: your (role|operatorName)( and role)? come from your team account/),
        hint: expect.stringContaining('team account'),
      });
    }
    // An operator account may change shared settings, but not its own role either.
    const boss = { transport: 'http' as const, principal: { actor: 'boss', role: 'operator' as const, userId: 'usr_2' } };
    await expect(h.guarded['settings:update']({ role: 'support' }, boss)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.guarded['settings:update']({ sshKeys: [] }, boss)).resolves.toEqual({ ok: 'answer' });
    expect(h.inner).toHaveBeenCalledTimes(1);
    expect(h.entries.map((e) => [e.actor, e.role, e.outcome, (e.detail as { code?: string }).code])).toEqual([
      ['ana', 'support', 'refused', 'forbidden'],
      ['ana', 'support', 'refused', 'forbidden'],
      ['ana', 'support', 'refused', 'forbidden'],
      ['boss', 'operator', 'refused', 'forbidden'],
      ['boss', 'operator', 'ok', undefined],
    ]);
    // A table refusal for a principal points at the account, not at a role switch it cannot make.
    await expect(h.guarded['provision:start']({}, ana)).rejects.toMatchObject({ code: 'read_only', hint: expect.stringContaining('team account') });
  });

  it("an operator's mutation runs, returns its answer, and is audited ok (default actor: operator)", async () => {
    const h = harness();
    await expect(h.guarded['instances:destroy']({ instanceId: 'inst_1' }, cli)).resolves.toEqual({ ok: 'answer' });
    expect(h.entries).toEqual([
      { at: '2026-08-20T10:00:00.000Z', actor: 'operator', role: 'operator', action: 'instances:destroy', target: 'inst_1', targetName: 'vm-one', outcome: 'ok', detail: { transport: 'cli' } },
    ]);
  });

  it('a refusal by the handler (conflict, not_found…) is audited refused; any other failure error; both rethrown', async () => {
    const h = harness();
    h.inner.mockRejectedValueOnce(new OutpostError('conflict', 'already retried'));
    await expect(h.guarded['jobs:retry']({ jobId: 'job_1' }, cli)).rejects.toMatchObject({ code: 'conflict' });
    h.inner.mockRejectedValueOnce(new OutpostError('timeout', 'too slow'));
    await expect(h.guarded['jobs:retry']({ jobId: 'job_1' }, cli)).rejects.toMatchObject({ code: 'timeout' });
    h.inner.mockRejectedValueOnce(new Error('bug'));
    await expect(h.guarded['jobs:retry']({ jobId: 'job_1' }, cli)).rejects.toThrow('bug');
    h.inner.mockRejectedValueOnce('thrown text');
    await expect(h.guarded['jobs:retry']({ jobId: 'job_1' }, cli)).rejects.toBe('thrown text');
    expect(h.entries.map((e) => [e.outcome, e.detail, e.target, e.targetName])).toEqual([
      ['refused', { transport: 'cli', code: 'conflict', message: 'already retried' }, 'job_1', 'vm-one'],
      ['error', { transport: 'cli', code: 'timeout', message: 'too slow' }, 'job_1', 'vm-one'],
      // A bug's own text may quote anything (a URL, a header): the audit, which the panel shows, does not carry it.
      ['error', { transport: 'cli', code: 'internal', message: 'Outpost hit an internal error (see the log).' }, 'job_1', 'vm-one'],
      ['error', { transport: 'cli', code: 'internal', message: 'Outpost hit an internal error (see the log).' }, 'job_1', 'vm-one'],
    ]);
  });

  it('settings:update is audited with what really changed, old → new, by the caller as it was before', async () => {
    const h = harness({ operatorName: 'Ann', role: 'support' });
    h.inner.mockImplementationOnce(async (req) => {
      for (const [k, v] of Object.entries(req as object)) h.values.set(k, v);
      return {};
    });
    await h.guarded['settings:update']({ operatorName: 'Bea', role: 'support' }, cli);
    expect(h.entries).toEqual([
      expect.objectContaining({ actor: 'Ann', role: 'support', target: 'settings', targetName: 'operatorName, role', outcome: 'ok', detail: { transport: 'cli', changes: [{ field: 'operatorName', from: 'Ann', to: 'Bea' }] } }),
    ]);
  });

  it('a mutating request refused by its schema is audited as refused; a read refused by its schema is not', async () => {
    const h = harness();
    await dispatch(h.handlers, 'provision:start', { region: 42 }, cli);
    await dispatch(h.handlers, 'instances:get', { nope: true, instanceId: 42 }, cli);
    expect(h.entries).toEqual([
      expect.objectContaining({ action: 'provision:start', outcome: 'refused', target: null, detail: { transport: 'cli', code: 'invalid_input', message: expect.stringContaining('provision:start') } }),
    ]);
    expect(h.inner).not.toHaveBeenCalled();
  });
});

describe('audit detail', () => {
  const store = harnessStore();
  function harnessStore() {
    return {
      instances: { get: async (id: string) => (id === 'inst_1' ? { name: 'vm-one' } : undefined) },
      jobs: { get: async (id: string) => (id === 'job_1' ? { instanceId: 'inst_1' } : id === 'job_2' ? { instanceId: 'inst_gone' } : undefined) },
    } as unknown as Parameters<typeof auditTarget>[0];
  }

  it('names the target by id and by name', async () => {
    expect(await auditTarget(store, 'settings:update', { role: 'operator', operatorName: 'x' }, undefined)).toEqual({ target: 'settings', targetName: 'operatorName, role' });
    expect(await auditTarget(store, 'settings:update', {}, undefined)).toEqual({ target: 'settings', targetName: null });
    expect(await auditTarget(store, 'settings:update', undefined, undefined)).toEqual({ target: 'settings', targetName: null });
    for (const c of ['tokens:set', 'tokens:clear', 'tokens:test'] as const) expect(await auditTarget(store, c, { provider: 'hetzner', token: 'secret' }, undefined)).toEqual({ target: 'hetzner', targetName: null });
    expect(await auditTarget(store, 'tokens:set', { provider: 7 }, undefined)).toEqual({ target: null, targetName: null });
    expect(await auditTarget(store, 'tokens:reset', {}, undefined)).toEqual({ target: 'vault', targetName: null });
    expect(await auditTarget(store, 'payments:record', { reference: 'INV-1', customer: 'Ada' }, undefined)).toEqual({ target: 'INV-1', targetName: 'Ada' });
    expect(await auditTarget(store, 'payments:record', {}, { payment: { reference: 'INV-2' } })).toEqual({ target: 'INV-2', targetName: null });
    expect(await auditTarget(store, 'payments:record', undefined, undefined)).toEqual({ target: null, targetName: null });
    expect(await auditTarget(store, 'instances:destroy', { instanceId: 'inst_1' }, { jobId: 'job_9' })).toEqual({ target: 'inst_1', targetName: 'vm-one' });
    expect(await auditTarget(store, 'provision:start', { region: 'fsn1' }, { instanceId: 'inst_1', jobId: 'job_1' })).toEqual({ target: 'inst_1', targetName: 'vm-one' });
    expect(await auditTarget(store, 'jobs:retry', { jobId: 'job_1' }, undefined)).toEqual({ target: 'job_1', targetName: 'vm-one' });
    expect(await auditTarget(store, 'provision:cancel', null, { jobId: 'job_1' })).toEqual({ target: 'job_1', targetName: 'vm-one' });
    expect(await auditTarget(store, 'jobs:retry', { jobId: 'job_2' }, undefined)).toEqual({ target: 'job_2', targetName: null });
    expect(await auditTarget(store, 'jobs:retry', { jobId: 'job_3' }, undefined)).toEqual({ target: 'job_3', targetName: null });
    expect(await auditTarget(store, 'instances:destroy', { instanceId: 'inst_x' }, undefined)).toEqual({ target: 'inst_x', targetName: null });
    expect(await auditTarget(store, 'fleet:sync', {}, 'text')).toEqual({ target: null, targetName: null });
  });

  it('says what changed, never a secret', () => {
    const settings = { get: () => undefined, set: () => undefined };
    expect(changesOf('tokens:set', { provider: 'tailscale', token: 'tskey-secret' }, null, settings)).toEqual({ changes: [{ field: 'tailscale', from: 'secret', to: 'changed' }] });
    expect(changesOf('tokens:set', {}, null, settings)).toEqual({ changes: [{ field: 'token', from: 'secret', to: 'changed' }] });
    expect(changesOf('tokens:clear', { provider: 'hetzner' }, null, settings)).toEqual({ changes: [{ field: 'hetzner', from: 'secret', to: 'cleared' }] });
    expect(changesOf('tokens:clear', {}, null, settings)).toEqual({ changes: [{ field: 'token', from: 'secret', to: 'cleared' }] });
    expect(changesOf('tokens:reset', {}, null, settings)).toEqual({ changes: [{ field: 'vault', from: 'every stored token', to: 'deleted' }] });
    expect(changesOf('settings:update', {}, null, settings)).toEqual({});
    expect(changesOf('instances:destroy', { instanceId: 'i' }, DEFAULT_SETTINGS, settings)).toEqual({});
    expect(changesOf('settings:update', {}, { ...DEFAULT_SETTINGS, sshKeys: ['k'] }, settings)).toEqual({ changes: [{ field: 'sshKeys', from: ['k'], to: [] }] });
  });

  it('a settings diff lists only the fields whose value changed (deep, not by reference)', () => {
    expect(settingsDiff(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, tailscaleTags: [] })).toEqual([]);
    expect(settingsDiff(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, locationFallback: false, defaultRegion: 'fsn1' })).toEqual([
      { field: 'defaultRegion', from: null, to: 'fsn1' },
      { field: 'locationFallback', from: true, to: false },
    ]);
  });
});
