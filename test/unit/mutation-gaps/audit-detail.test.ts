// What an audit entry names (electron/core/services/audit-detail.ts) for the calls guard.test.ts
// left out: adopting or deleting an unowned server, a provision batch, a retry named by the job it
// answers, and a request its schema refused (the guard audits it with no request at all). Written to
// kill mutants StrykerJS found surviving (bench/results/mutation-survivors.md): an entry that loses
// which server was deleted, or calls a batch of 5 VMs one VM, misleads whoever reads the audit later.
import { describe, expect, it } from 'vitest';
import { auditTarget, changesOf } from '../../../electron/core/services/audit-detail';

// Async like the store's repositories; inst_1 is named, anything else is unknown.
const store = {
  instances: { get: async (id: string) => (id === 'inst_1' ? { name: 'vm-one' } : undefined) },
  jobs: { get: async (id: string) => (id === 'job_1' ? { instanceId: 'inst_1' } : undefined) },
} as unknown as Parameters<typeof auditTarget>[0];
const settings = { get: () => undefined, set: () => undefined };

describe('auditTarget: unowned servers', () => {
  it('adopt names the server and the instance it became (the answer is that instance, by id)', async () => {
    expect(await auditTarget(store, 'unowned:adopt', { serverId: 42 }, { id: 'inst_1', name: 'vm-one' })).toEqual({ target: 'server 42', targetName: 'vm-one' });
  });

  it('delete names the server and the instance it was adopted as, not the name typed to confirm', async () => {
    expect(await auditTarget(store, 'unowned:delete', { serverId: 7, confirmName: 'typed-name' }, { jobId: 'job_1', instanceId: 'inst_1' })).toEqual({
      target: 'server 7',
      targetName: 'vm-one',
    });
  });

  it('a delete that failed before any instance existed is named by the name typed to confirm', async () => {
    expect(await auditTarget(store, 'unowned:delete', { serverId: 7, confirmName: 'typed-name' }, undefined)).toEqual({ target: 'server 7', targetName: 'typed-name' });
    expect(await auditTarget(store, 'unowned:delete', { serverId: 7, confirmName: 'typed-name' }, { jobId: 'job_9', instanceId: 'inst_gone' })).toEqual({
      target: 'server 7',
      targetName: 'typed-name',
    });
    expect(await auditTarget(store, 'unowned:adopt', { serverId: 8 }, undefined)).toEqual({ target: 'server 8', targetName: null });
  });

  it('a request its schema refused (audited with no request) names no server, and does not throw', async () => {
    for (const channel of ['unowned:adopt', 'unowned:delete'] as const) {
      expect(await auditTarget(store, channel, undefined, undefined), channel).toEqual({ target: null, targetName: null });
      expect(await auditTarget(store, channel, { serverId: '42' }, undefined), channel).toEqual({ target: null, targetName: null });
    }
  });
});

describe('auditTarget: provision:start', () => {
  const batch = { groupId: 'grp_1', instanceId: 'inst_1', jobId: 'job_1', jobs: [{}, {}, {}] };

  it('a batch is one entry naming its group, how many VMs it recorded and for which agent', async () => {
    expect(await auditTarget(store, 'provision:start', { agentName: 'ci runner', quantity: 3 }, batch)).toEqual({ target: 'grp_1', targetName: '3 VMs of ci runner' });
    expect(await auditTarget(store, 'provision:start', { quantity: 3 }, batch)).toEqual({ target: 'grp_1', targetName: '3 VMs of an agent' });
  });

  it('one VM (group null) names its instance', async () => {
    expect(await auditTarget(store, 'provision:start', { agentName: 'ci runner' }, { ...batch, groupId: null, jobs: [{}] })).toEqual({ target: 'inst_1', targetName: 'vm-one' });
  });
});

describe('auditTarget: other calls', () => {
  it('a retry is named by the instance its answer points at before the job it retried', async () => {
    expect(await auditTarget(store, 'jobs:retry', { jobId: 'job_9' }, { jobId: 'job_10', instanceId: 'inst_1' })).toEqual({ target: 'inst_1', targetName: 'vm-one' });
  });

  it('a settings update without a request (null) names the settings and no field', async () => {
    expect(await auditTarget(store, 'settings:update', null, undefined)).toEqual({ target: 'settings', targetName: null });
  });
});

describe('changesOf: provision:start', () => {
  it('a batch records its quantity; one VM (quantity 1 or none) records nothing', () => {
    expect(changesOf('provision:start', { quantity: 3 }, null, settings)).toEqual({ quantity: 3 });
    expect(changesOf('provision:start', { quantity: 2 }, null, settings)).toEqual({ quantity: 2 });
    expect(changesOf('provision:start', { quantity: 1 }, null, settings)).toEqual({});
    expect(changesOf('provision:start', {}, null, settings)).toEqual({});
    expect(changesOf('provision:start', undefined, null, settings)).toEqual({});
  });

  it('only a number counts as a quantity, and only for provision:start', () => {
    expect(changesOf('provision:start', { quantity: '3' }, null, settings)).toEqual({});
    expect(changesOf('payments:record', { quantity: 3 }, null, settings)).toEqual({});
  });
});
