// The permission table (shared/permissions.ts) is enforced here, in core, whatever the transport:
// every handler is wrapped, so a channel cannot be called without its rule being checked. Every
// mutation — allowed, refused or failed, and also a request its schema refused — leaves one audit
// entry saying who, what (by id and by name), what changed, and the outcome.
import type { Channel } from '../../../shared/contract';
import { OutpostError, type ErrorCode } from '../../../shared/errors';
import { decide, isMutating, type Role } from '../../../shared/permissions';
import { onInvalidRequest, type CallContext, type Handlers } from '../dispatch';
import { readRole, readSettings } from '../settings';
import { auditTarget, changesOf } from './audit-detail';
import type { ServicesDeps } from './deps';

type Outcome = 'ok' | 'refused' | 'error';

/** Codes that mean "not done, nothing changed" (the caller's request or right), as opposed to a failure while doing it. */
const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['invalid_input', 'read_only', 'conflict', 'forbidden', 'locked', 'not_found']);

export function guardMutations(handlers: Handlers, deps: Pick<ServicesDeps, 'store' | 'settings' | 'clock'>): Handlers {
  type Caller = { actor: string; role: Role };
  // Who called is read before the call: a call that renames or switches the role is its old self's act.
  // A principal named by the transport (the payments webhook's sender) is that caller instead.
  const caller = (ctx: CallContext): Caller => ctx.principal ?? { actor: deps.settings.get<string>('operatorName') || 'operator', role: readRole(deps.settings) };
  const audit = (who: Caller, channel: Channel, ctx: CallContext, request: unknown, outcome: Outcome, detail: Record<string, unknown>, result?: unknown) => {
    const { target, targetName } = auditTarget(deps.store, channel, request, result);
    deps.store.audit.append({
      at: new Date(deps.clock.now()).toISOString(),
      ...who,
      action: channel,
      target,
      targetName,
      outcome,
      detail: { transport: ctx.transport, ...detail },
    });
  };
  // An OutpostError's message is written for people (and secret-free); anything else is a bug whose
  // text may quote anything, so the audit (which the panel shows) only says that it happened.
  const failure = (err: unknown) =>
    err instanceof OutpostError ? { code: err.code, message: err.message } : { code: 'internal', message: 'Outpost hit an internal error (see the log).' };

  const guarded = {} as Record<Channel, (req: unknown, ctx: CallContext) => Promise<unknown>>;
  for (const channel of Object.keys(handlers) as Channel[]) {
    const inner = handlers[channel] as (req: unknown, ctx: CallContext) => Promise<unknown>;
    const mutating = isMutating(channel);
    guarded[channel] = async (request, ctx) => {
      const who = caller(ctx);
      const decision = decide(who.role, channel, request);
      if (!decision.allowed) {
        // A refused read is not audited (support may read everything; nothing refuses a read today).
        if (mutating) audit(who, channel, ctx, request, 'refused', { code: 'read_only', message: decision.reason });
        throw new OutpostError('read_only', decision.reason, { hint: decision.hint });
      }
      if (!mutating) return inner(request, ctx);
      const before = channel === 'settings:update' ? readSettings(deps.settings) : null;
      try {
        const result = await inner(request, ctx);
        audit(who, channel, ctx, request, 'ok', changesOf(channel, request, before, deps.settings), result);
        return result;
      } catch (err) {
        audit(who, channel, ctx, request, err instanceof OutpostError && REFUSAL_CODES.has(err.code) ? 'refused' : 'error', failure(err));
        throw err;
      }
    };
  }
  const result = guarded as unknown as Handlers;
  // A mutating request refused by its schema never reaches a handler; it is audited all the same.
  onInvalidRequest(result, (channel, error, ctx) => {
    if (isMutating(channel)) audit(caller(ctx), channel, ctx, undefined, 'refused', { code: error.code, message: error.message });
  });
  return result;
}
