// The injection defences in the real pipeline: a hostile SSH key is refused by the settings, and
// one stored before this check existed stops the job at render_user_data with nothing sent to
// Hetzner; a hostile agent name never reaches user-data at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { leftovers, startHarness, type Harness } from '../../fixtures/pipeline';
import { ATTACK_COMMENT, ATTACK_KEY, ED25519 } from '../../unit/cloudinit/fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const request = { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04' };

describe('cloud-init injection, end to end', () => {
  it('settings:update refuses the reported key and keeps the keys it had', async () => {
    await h.api.call('settings:update', { sshKeys: [ED25519] });
    const refused = h.api.call('settings:update', { sshKeys: [ED25519, ATTACK_KEY] });
    await expect(refused).rejects.toBeInstanceOf(OutpostError);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await h.api.call('settings:get', {})).sshKeys).toEqual([ED25519]);
  });

  it('fails a job whose stored key carries the attack at render_user_data, before any server exists', async () => {
    // As if stored by a version without the check (or edited by hand).
    h.settings.set('sshKeys', [ED25519, ATTACK_KEY]);
    try {
      const { jobId } = await h.api.call('provision:start', { ...request, agentName: 'victim' });
      const job = await h.settle(jobId);
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ step: 'render_user_data', code: 'invalid_input' });
      expect(job.error?.message).toMatch(/^sshAuthorizedKeys\[1\] .*U\+2028/);
      const events = (await h.runtime.store.jobs.events(jobId)).map((e) => `${e.type}:${e.step ?? ''}`);
      expect(events).not.toContain('step_started:create_server');
      const state = await h.control.state();
      expect(state.servers.filter((s) => s.labels['outpost.job'] === jobId)).toEqual([]);
      // The key minted for it was revoked by the compensation.
      expect((await leftovers(h)).validKeys).toEqual([]);
    } finally {
      h.settings.set('sshKeys', [ED25519]);
    }
  });

  it('provisions an agent whose name carries the attack: only its slug becomes the hostname', async () => {
    const agentName = `build bot ${ATTACK_COMMENT.slice(0, 40)}`;
    const { jobId, instanceId } = await h.api.call('provision:start', { ...request, agentName });
    const job = await h.settle(jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const { instance } = await h.api.call('instances:get', { instanceId });
    expect(instance.name).toMatch(/^build-bot-ops-laptop-users-[a-z0-9-]*-[0-9a-f]{6}$/);
    const state = await h.control.state();
    expect(state.devices.find((d) => d.nodeId === instance.nodeId)?.hostname).toBe(instance.name);
  });
});
