// Removing what a job made, one cloud object at a time. Used by compensation (a failed or cancelled
// provision) and by destroy. Each is idempotent: "already gone" is a success, so a resumed
// compensation can safely repeat any of them.
import type { Clouds } from '../clouds';
import { HetznerError } from '../hetzner';
import { sanitizeKeyDescription } from '../tailscale';
import { matchDevice } from '../fleet/enrollment-watcher';
import { withDeadline } from './deadline';

export type CleanupOutcome = 'deleted' | 'already_gone' | 'not_created' | 'revoked' | 'already_invalid';

export interface CleanupResult {
  target: 'server' | 'device' | 'key';
  outcome: CleanupOutcome;
  id: string | number | null;
}

/** Deletes the job's server (by id, else by its job label) and waits for the delete action. */
export async function removeServer(
  clouds: Clouds,
  ref: { serverId: number | undefined; jobLabel: string },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<CleanupResult> {
  const serverId = ref.serverId ?? (await clouds.hetzner.servers.findServerByLabel(ref.jobLabel, { signal }))?.id;
  if (serverId === undefined) return { target: 'server', outcome: 'not_created', id: null };
  const action = await deleteWhenUnlocked(clouds, serverId, signal, timeoutMs);
  if (!action) return { target: 'server', outcome: 'already_gone', id: serverId };
  await withDeadline(signal, timeoutMs, `Deleting server ${serverId}`, (s) => clouds.actions.waitFor(action, { signal: s }));
  return { target: 'server', outcome: 'deleted', id: serverId };
}

/**
 * A server still being created answers `423 locked` to a delete: wait for its running actions to
 * end, then delete. A cancel during create_server takes this path.
 */
async function deleteWhenUnlocked(clouds: Clouds, serverId: number, signal: AbortSignal, timeoutMs: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await clouds.hetzner.servers.delete(serverId, { signal });
    } catch (err) {
      if (!(err instanceof HetznerError && err.apiCode === 'locked') || attempt >= 3) throw err;
      try {
        await withDeadline(signal, timeoutMs, `Server ${serverId} unlocked`, async (s) => {
          const running = await clouds.hetzner.servers.actions(serverId, { status: ['running'], signal: s });
          await Promise.allSettled(running.map((a) => clouds.actions.waitFor(a, { signal: s })));
        });
      } catch (waitErr) {
        // The lock was our own earlier delete (its answer lost), which has now finished.
        if (waitErr instanceof HetznerError && waitErr.status === 404) return null;
        throw waitErr;
      }
    }
  }
}

/**
 * Deletes the VM's device: by node id when enrollment recorded it, else the device this VM's key
 * would have created (exact hostname, tags, created after the key), since it may have joined after
 * the job stopped watching.
 */
export async function removeDevice(
  clouds: Clouds,
  ref: { nodeId: string | undefined; hostname: string; keyCreated: string | undefined },
  signal: AbortSignal,
): Promise<CleanupResult> {
  let nodeId = ref.nodeId;
  if (!nodeId && ref.keyCreated) {
    const devices = await clouds.tailscale.devices.list({ filters: { hostname: ref.hostname }, signal });
    const notBefore = Date.parse(ref.keyCreated);
    nodeId = matchDevice(devices, { hostname: ref.hostname, tags: clouds.tags, ephemeral: true, notBefore }, 120_000)?.nodeId;
  }
  if (!nodeId) return { target: 'device', outcome: 'not_created', id: null };
  const deleted = await clouds.tailscale.devices.delete(nodeId, { signal });
  return { target: 'device', outcome: deleted ? 'deleted' : 'already_gone', id: nodeId };
}

/**
 * Revokes the job's auth key(s) that are still valid. Besides the recorded key, a key whose create
 * answer was lost (timeout, reset, unreadable) exists without Outpost knowing its id: every key
 * carries the job in its description, so those are found in the tailnet's key list.
 */
export async function revokeJobKeys(clouds: Clouds, jobId: string, keyId: string | undefined, signal: AbortSignal): Promise<CleanupResult> {
  const recorded = await revokeKey(clouds, keyId, signal);
  const description = keyDescription(jobId);
  const strays = (await clouds.tailscale.keys.list({ signal })).filter((k) => k.description === description && k.id !== keyId && !k.invalid);
  for (const k of strays) await clouds.tailscale.keys.delete(k.id, { signal });
  if (strays.length === 0) return recorded;
  return { target: 'key', outcome: 'revoked', id: [keyId, ...strays.map((k) => k.id)].filter(Boolean).join(',') };
}

/** The description every key minted for a job carries (Tailscale allows letters, digits, space, dash). */
export const keyDescription = (jobId: string): string => sanitizeKeyDescription(`outpost ${jobId}`);

/** Revokes the auth key while it is still valid; a used, expired or deleted key needs nothing. */
export async function revokeKey(clouds: Clouds, keyId: string | undefined, signal: AbortSignal): Promise<CleanupResult> {
  if (!keyId) return { target: 'key', outcome: 'not_created', id: null };
  const info = await clouds.tailscale.keys.get(keyId, { signal });
  if (!info) return { target: 'key', outcome: 'already_gone', id: keyId };
  if (info.invalid) return { target: 'key', outcome: 'already_invalid', id: keyId };
  const deleted = await clouds.tailscale.keys.delete(keyId, { signal });
  return { target: 'key', outcome: deleted ? 'revoked' : 'already_gone', id: keyId };
}
