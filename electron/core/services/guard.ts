// The permission table (shared/permissions.ts) is enforced here, in core, whatever the transport:
// every handler is wrapped, so a channel cannot be called without its rule being checked. Every
// mutation — allowed, refused or failed, and also a request its schema refused — leaves one audit
// entry saying who, what (by id and by name), what changed, and the outcome; so does every read the
// table refuses (the payments role asking for the audit).
import type { Channel } from '../../../shared/contract';
import { OutpostError, type ErrorCode } from '../../../shared/errors';
import { decide, isMutating, SUPPORT_SETTINGS, type Decision, type Role } from '../../../shared/permissions';
import { onInvalidRequest, type CallContext, type Handlers } from '../dispatch';
import { readRole, readSettings } from '../settings';
import { auditTarget, changesOf } from './audit-detail';
import type { ServicesDeps } from './deps';

type Outcome = 'ok' | 'refused' | 'error';

/** Codes that mean "not done, nothing changed" (the caller's request or right), as opposed to a failure while doing it. */
const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['invalid_input', 'read_only', 'conflict', 'forbidden', 'locked', 'not_found']);

const ACCOUNT_HINT = 'Ask an operator: your role comes from your team account (outpost users on the team server).';

/**
 * A principal's role and name are its account's (CallContext.principal), whatever the permission table
 * lets a desktop's self-chosen role do with settings:update: a signed-in support user switching itself
 * to operator would otherwise be one request away. Null when the request does not touch them.
 */
function accountFieldsRefusal(ctx: CallContext, channel: Channel, request: unknown): Extract<Decision, { allowed: false }> | null {
  if (!ctx.principal || channel !== 'settings:update' || typeof request !== 'object' || request === null) return null;
  const named = SUPPORT_SETTINGS.filter((k) => (request as Record<string, unknown>)[k] !== undefined);
  if (named.length === 0) return null;
  return { allowed: false, reason: `Not allowed: your ${named.join(' and ')} come from your team account, not from the settings.`, hint: ACCOUNT_HINT };
}

export function guardMutations(handlers: Handlers, deps: Pick<ServicesDeps, 'store' | 'settings' | 'clock'>): Handlers {
  type Caller = { actor: string; role: Role };
  // Who called is read before the call: a call that renames or switches the role is its old self's act.
  // A principal named by the transport (the payments webhook's sender, a signed-in team user) is that caller instead.
  const caller = (ctx: CallContext): Caller => ctx.principal ?? { actor: deps.settings.get<string>('operatorName') || 'operator', role: readRole(deps.settings) };
  // Awaited by every caller: the entry is written before the call's answer (or refusal) goes back.
  const audit = async (who: Caller, channel: Channel, ctx: CallContext, request: unknown, outcome: Outcome, detail: Record<string, unknown>, result?: unknown) => {
    const { target, targetName } = await auditTarget(deps.store, channel, request, result);
    await deps.store.audit.append({
      at: new Date(deps.clock.now()).toISOString(),
      actor: who.actor,
      role: who.role,
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
      const account = accountFieldsRefusal(ctx, channel, request);
      if (account) {
        await audit(who, channel, ctx, request, 'refused', { code: 'forbidden', message: account.reason });
        throw new OutpostError('forbidden', account.reason, { hint: account.hint });
      }
      const decision = decide(who.role, channel, request);
      if (!decision.allowed) {
        // A refused change is read_only (the role may not change this); a refused read is forbidden (the
        // role may not see it). Both are audited: a clerk trying the audit log is worth knowing about.
        const code = mutating ? 'read_only' : 'forbidden';
        const hint = ctx.principal ? ACCOUNT_HINT : decision.hint;
        await audit(who, channel, ctx, request, 'refused', { code, message: decision.reason });
        throw new OutpostError(code, decision.reason, { hint });
      }
      if (!mutating) return inner(request, ctx);
      const before = channel === 'settings:update' ? readSettings(deps.settings) : null;
      try {
        const result = await inner(request, ctx);
        await audit(who, channel, ctx, request, 'ok', changesOf(channel, request, before, deps.settings), result);
        return result;
      } catch (err) {
        await audit(who, channel, ctx, request, err instanceof OutpostError && REFUSAL_CODES.has(err.code) ? 'refused' : 'error', failure(err));
        throw err;
      }
    };
  }
  const result = guarded as unknown as Handlers;
  // A mutating request refused by its schema never reaches a handler; it is audited all the same
  // (dispatch awaits the entry before it answers).
  onInvalidRequest(result, async (channel, error, ctx) => {
    if (isMutating(channel)) await audit(caller(ctx), channel, ctx, undefined, 'refused', { code: error.code, message: error.message });
  });
  return result;
}
