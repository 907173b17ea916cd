// Whether a control may be used, and if not, why — shown next to the disabled control. The role's
// rules are the permission table in shared/ (the same one core enforces); a read-only Hetzner token
// adds one more reason for the channels that change the cloud. Until the role is known, nothing that
// changes anything is offered (fail closed).
import type { Channel } from '../../../shared/contract';
import { decide, isMutating } from '../../../shared/permissions';
import { useChannel } from './use-channel';

/** Changes that need a Hetzner token that may write. */
const CLOUD: ReadonlySet<Channel> = new Set<Channel>(['instances:destroy', 'provision:start', 'provision:cancel', 'jobs:retry', 'payments:record', 'unowned:delete']);

export const READ_ONLY_TOKEN_REASON = 'Read-only: the stored Hetzner token cannot make changes. Replace it with a Read & Write token in Settings → Tokens.';
export const ROLE_LOADING_REASON = 'Checking your role…';

export interface Permission {
  allowed: boolean;
  /** Why not, in words an operator can act on; null when allowed. */
  reason: string | null;
}

export function useAppInfo() {
  return useChannel('app:info', {}, { staleTime: 30_000 });
}

/** May this user call `channel` (with `request`, when the answer depends on what it changes)? */
export function usePermission(channel: Channel, request?: unknown): Permission {
  const info = useAppInfo();
  // Only the cloud-changing channels depend on the token (and a blocked panel answers nothing else).
  const tokens = useChannel('tokens:status', {}, { staleTime: 30_000, enabled: CLOUD.has(channel) });
  if (!isMutating(channel)) {
    // A read is offered until the role is known (the guard refuses it anyway); then the table decides,
    // since some roles may not see everything (the payments role and the audit).
    if (!info.data) return { allowed: true, reason: null };
    const read = decide(info.data.role, channel, request);
    return read.allowed ? { allowed: true, reason: null } : { allowed: false, reason: read.reason };
  }
  if (!info.data) return { allowed: false, reason: ROLE_LOADING_REASON };
  const decision = decide(info.data.role, channel, request);
  if (!decision.allowed) return { allowed: false, reason: decision.reason };
  const hetzner = tokens.data?.hetzner;
  if (CLOUD.has(channel) && info.data.mode === 'live' && (hetzner?.state === 'read_only' || hetzner?.capabilities?.write === false)) {
    return { allowed: false, reason: READ_ONLY_TOKEN_REASON };
  }
  return { allowed: true, reason: null };
}
