// Whether a mutating control may be used, and if not, why — shown next to the disabled control.
// Two reasons exist: the support role (any mutation) and a read-only Hetzner token (mutations of
// the cloud). Core enforces both; the panel only says so before the operator tries.
import { MUTATING_CHANNELS, type Channel } from '../../../shared/contract';
import { useChannel } from './use-channel';

const MUTATING: ReadonlySet<Channel> = new Set(MUTATING_CHANNELS);
/** Allowed in the support role (core lets it switch back and rename itself). */
const SUPPORT_ALLOWED: ReadonlySet<Channel> = new Set<Channel>(['settings:update']);
/** Changes that need a Hetzner token that may write. */
const CLOUD: ReadonlySet<Channel> = new Set<Channel>(['instances:destroy', 'provision:start', 'provision:cancel', 'payments:record']);

export const SUPPORT_REASON = 'Read-only: the support role cannot change anything. An operator can, or switch the role in Settings.';
export const READ_ONLY_TOKEN_REASON = 'Read-only: the stored Hetzner token cannot make changes. Replace it with a Read & Write token in Settings → Tokens.';

export interface Permission {
  allowed: boolean;
  /** Why not, in words an operator can act on; null when allowed. */
  reason: string | null;
}

export function useAppInfo() {
  return useChannel('app:info', {}, { staleTime: 30_000 });
}

export function usePermission(channel: Channel): Permission {
  const info = useAppInfo();
  const tokens = useChannel('tokens:status', {}, { staleTime: 30_000 });
  if (!MUTATING.has(channel)) return { allowed: true, reason: null };
  if (info.data?.role === 'support' && !SUPPORT_ALLOWED.has(channel)) return { allowed: false, reason: SUPPORT_REASON };
  const hetzner = tokens.data?.hetzner;
  if (CLOUD.has(channel) && info.data?.mode === 'live' && (hetzner?.state === 'read_only' || hetzner?.capabilities?.write === false)) {
    return { allowed: false, reason: READ_ONLY_TOKEN_REASON };
  }
  return { allowed: true, reason: null };
}
