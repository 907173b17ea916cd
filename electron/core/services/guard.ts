// The read-only role is enforced here, in core, whatever the transport: mutating channels refuse in
// the support role. Every mutation, refused or not, leaves an audit entry (who, what, when, outcome).
import { MUTATING_CHANNELS, type Channel } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import type { Handlers } from '../dispatch';
import { readRole } from '../settings';
import type { ServicesDeps } from './deps';

const MUTATING: ReadonlySet<string> = new Set(MUTATING_CHANNELS);
/**
 * Settings and tokens stay editable in the support role (its own name, switching role, storing the
 * read-only token that makes it support): audited, not refused. They change nothing in the clouds.
 */
const ALLOWED_IN_SUPPORT: ReadonlySet<string> = new Set<Channel>(['settings:update', 'tokens:set', 'tokens:clear']);

/** The id an audit entry points at: what the request names, else what the answer created. */
function targetOf(request: unknown, result: unknown): string | null {
  for (const source of [request, result]) {
    if (typeof source !== 'object' || source === null) continue;
    const s = source as Record<string, unknown>;
    for (const key of ['instanceId', 'jobId', 'reference']) if (typeof s[key] === 'string') return s[key] as string;
    const payment = s.payment as { reference?: unknown } | undefined;
    if (payment && typeof payment.reference === 'string') return payment.reference;
  }
  return null;
}

export function guardMutations(handlers: Handlers, deps: Pick<ServicesDeps, 'store' | 'settings' | 'clock'>): Handlers {
  const guarded = { ...handlers } as Record<Channel, (req: unknown, ctx: never) => Promise<unknown>>;
  for (const channel of Object.keys(handlers) as Channel[]) {
    if (!MUTATING.has(channel)) continue;
    const inner = handlers[channel] as (req: unknown, ctx: unknown) => Promise<unknown>;
    guarded[channel] = async (request, ctx) => {
      const role = readRole(deps.settings);
      const actor = deps.settings.get<string>('operatorName') || 'operator';
      const audit = (outcome: 'ok' | 'refused' | 'error', detail: Record<string, unknown>, result?: unknown) =>
        deps.store.audit.append({
          at: new Date(deps.clock.now()).toISOString(),
          actor,
          role,
          action: channel,
          target: targetOf(request, result),
          outcome,
          detail: { transport: (ctx as { transport?: string }).transport, ...detail },
        });
      if (role === 'support' && !ALLOWED_IN_SUPPORT.has(channel)) {
        audit('refused', { reason: 'read_only' });
        throw new OutpostError('read_only', 'The support role can look but not change anything.', {
          hint: 'Ask an operator, or switch the role to operator in Settings if you are one.',
        });
      }
      try {
        const result = await inner(request, ctx);
        audit('ok', {}, result);
        return result;
      } catch (err) {
        audit(err instanceof OutpostError && err.code === 'invalid_input' ? 'refused' : 'error', {
          code: err instanceof OutpostError ? err.code : 'internal',
          message: err instanceof Error ? err.message : String(err),
        });
        throw err;
      }
    };
  }
  return guarded as unknown as Handlers;
}
