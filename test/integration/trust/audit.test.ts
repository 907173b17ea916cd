// Audit rows say what changed: settings diffs (old → new), targets by name as well as id, secrets as
// "changed", and a refused or failed call recorded as `refused` / `error`, never `ok`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../fixtures/pipeline';
import { seedInstance } from '../../fixtures/seed';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 41 });
});

afterAll(async () => {
  await h?.close();
});

const latest = async (action: string) => (await h.runtime.store.audit.list({ action, limit: 1 }))[0];
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDpYfE5Cz4m8BqQGJ5rPpZ9dV0a3n8C7bq1j1yFJtq2k ops@example';

describe('audit entries', () => {
  it('record a settings change as old → new, only for fields that changed', async () => {
    await h.api.call('settings:update', { operatorName: 'Ada' });
    await h.api.call('settings:update', { operatorName: 'Ada', sshKeys: [KEY], locationFallback: false });
    const entry = await latest('settings:update');
    expect(entry).toMatchObject({ outcome: 'ok', actor: 'Ada', target: 'settings' });
    expect(entry!.detail.changes).toEqual([
      { field: 'sshKeys', from: [], to: [KEY] },
      { field: 'locationFallback', from: true, to: false },
    ]);
  });

  it('record the support role switching back to operator, and a refused attempt to change more', async () => {
    h.settings.set('role', 'support');
    await expect(h.api.call('settings:update', { tailscaleTags: ['tag:evil'] })).rejects.toMatchObject({ code: 'read_only' });
    expect(await latest('settings:update')).toMatchObject({ outcome: 'refused', role: 'support', detail: { code: 'read_only' } });
    await h.api.call('settings:update', { role: 'operator' });
    expect(await latest('settings:update')).toMatchObject({ outcome: 'ok', role: 'support', detail: { changes: [{ field: 'role', from: 'support', to: 'operator' }] } });
  });

  it('name the VM a destroy targets, and record a wrong confirmation as refused', async () => {
    const instanceId = await seedInstance(h.runtime.store, { name: 'audit-vm' });
    await expect(h.api.call('instances:destroy', { instanceId, confirmName: 'audit-vx' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await latest('instances:destroy')).toMatchObject({ outcome: 'refused', target: instanceId, targetName: 'audit-vm' });
    const { jobId } = await h.api.call('instances:destroy', { instanceId, confirmName: 'audit-vm' });
    await h.settle(jobId);
    expect(await latest('instances:destroy')).toMatchObject({ outcome: 'ok', target: instanceId, targetName: 'audit-vm' });
    // Searching the log by the name finds it.
    expect((await h.runtime.store.audit.list({ target: 'audit-vm' })).map((e) => e.action)).toContain('instances:destroy');
  });

  it('name a refused SSH key by position and reason, never quoting what was pasted (it may be a private key)', async () => {
    h.settings.set('role', 'operator');
    const pasted = '-----BEGIN OPENSSH PRIVATE KEY-----b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ';
    const refused = h.api.call('settings:update', { sshKeys: [KEY, pasted] });
    await expect(refused).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('sshKeys[1]') });
    const entry = await latest('settings:update');
    expect(entry).toMatchObject({ outcome: 'refused', detail: { code: 'invalid_input' } });
    expect(JSON.stringify(entry)).not.toContain('b3BlbnNzaC1rZXkt');
    expect(await refused.catch((e: Error) => e.message)).not.toContain('b3BlbnNzaC1rZXkt');
  });

  it('record a request refused by its schema as refused, without the request', async () => {
    await expect(h.api.call('provision:start', { region: 'fsn1', serverType: '', image: 'x', agentName: 'a' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await latest('provision:start')).toMatchObject({ outcome: 'refused', detail: { code: 'invalid_input' } });
  });

  it('never put a token in an entry: a stored secret reads "changed"', async () => {
    h.settings.set('role', 'operator');
    await h.api.call('tokens:set', { provider: 'hetzner', token: 'canary-token-abcdef-0123456789' }).catch(() => undefined);
    const entry = await latest('tokens:set');
    expect(JSON.stringify(entry)).not.toContain('canary-token-abcdef');
    if (entry!.outcome === 'ok') expect(entry!.detail.changes).toEqual([{ field: 'hetzner', from: 'secret', to: 'changed' }]);
  });

  it('record a failure while trying as error (a corrupt stored plan)', async () => {
    h.settings.set('role', 'operator');
    await h.control.failActions({ command: 'start_server', count: 1 });
    const { jobId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'x' });
    expect((await h.settle(jobId)).status).toBe('failed');
    // The call itself succeeded (a job exists, and it failed on its own timeline): ok, with the job as target.
    expect(await latest('provision:start')).toMatchObject({ outcome: 'ok', target: expect.stringMatching(/^ins_/) });
    // Raw SQL on the harness's SQLite file: no repository writes a damaged row.
    h.runtime.store.sqlite!.prepare('UPDATE jobs SET params = ? WHERE id = ?').run('{"broken":true}', jobId);
    await expect(h.api.call('jobs:retry', { jobId })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringContaining(jobId) });
    expect(await latest('jobs:retry')).toMatchObject({ outcome: 'error', target: jobId });
  });
});

describe('a damaged job row', () => {
  it('is a typed corrupt error naming the job and the field, and the runner leaves it as recorded', async () => {
    h.settings.set('role', 'operator');
    const { jobId } = await h.api.call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'dmg' });
    await h.settle(jobId);
    h.runtime.store.sqlite!.prepare("UPDATE jobs SET status = 'running', state = ? WHERE id = ?").run('{"completed":"all"}', jobId);
    h.runtime.runner.start(jobId);
    await h.settle(jobId);
    const events = await h.runtime.store.jobs.events(jobId);
    expect(events.at(-1)).toMatchObject({ type: 'note', data: { code: 'corrupt' } });
    expect(String(events.at(-1)!.data.message)).toContain(`Job ${jobId}`);
    expect(String(events.at(-1)!.data.message)).toContain('"completed"');
    expect((await h.runtime.store.jobs.get(jobId))!.status).toBe('running');
  });
});

describe('audit filters', () => {
  it('by actor and target in part and any case, by outcome, and by time range', async () => {
    h.settings.set('role', 'operator');
    h.settings.set('operatorName', 'Grace Hopper');
    const instanceId = await seedInstance(h.runtime.store, { name: 'filter-target-vm' });
    await expect(h.api.call('instances:destroy', { instanceId, confirmName: 'wrong-name' })).rejects.toMatchObject({ code: 'invalid_input' });
    const mine = (q: Record<string, unknown>) => h.api.call('audit:list', { ...q, limit: 5000 });

    const byActor = await mine({ actor: 'grace hop' });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actor === 'Grace Hopper')).toBe(true);
    expect((await mine({ target: 'TARGET-VM' })).map((e) => e.targetName)).toEqual(['filter-target-vm']);
    expect((await mine({ target: instanceId })).map((e) => e.action)).toEqual(['instances:destroy']);
    // LIKE's wildcards are the operator's characters, not patterns.
    expect(await mine({ target: '%' })).toEqual([]);
    const refused = await mine({ outcome: 'refused', actor: 'Grace' });
    expect(refused.map((e) => e.outcome)).toEqual(['refused']);

    const at = Date.parse(refused[0]!.at);
    expect((await mine({ from: new Date(at).toISOString(), to: new Date(at).toISOString() })).map((e) => e.id)).toContain(refused[0]!.id);
    expect(await mine({ from: new Date(at + 1).toISOString(), actor: 'Grace' })).toEqual([]);
    expect((await mine({ to: new Date(at - 1).toISOString() })).map((e) => e.id)).not.toContain(refused[0]!.id);
    // Another offset names the same instant.
    const plusTwo = new Date(at + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect((await mine({ from: plusTwo, actor: 'Grace' })).map((e) => e.id)).toEqual([refused[0]!.id]);
    await expect(h.api.call('audit:list', { from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('from') });
  });
});
