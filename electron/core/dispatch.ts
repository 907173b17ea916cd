// The one path from a raw request to the envelope, shared by IPC registration, browser mode's HTTP
// routes and the CLI: parse with the channel's schema, call the service, wrap the outcome.
import { type z } from 'zod';
import { channels, isChannel, type Channel, type OutpostApi, type ParsedReq, type Req, type Res } from '../../shared/contract';
import { OutpostError, type ErrorBody, type Result } from '../../shared/errors';
import type { Role } from '../../shared/permissions';
import type { Logger } from './log';

/** Who is calling; audit entries and role checks read it. */
export interface CallContext {
  /** `ipc`, `http`, `cli`, or `webhook` (a signed delivery from a shop or billing system). */
  transport: 'ipc' | 'http' | 'cli' | 'webhook';
  /**
   * A caller that is not this machine's operator — the payments webhook's sender, or a user signed in
   * to the team server (auth/users.ts TeamPrincipal) — audited under this name and checked against this
   * role. Both are fixed: they come from the account (or the transport), never from the settings, so
   * such a caller cannot switch its role or rename itself through settings:update (guard.ts). Absent:
   * the operator name and role from the settings (the solo desktop's own choice).
   */
  principal?: { actor: string; role: Role; /** The team user's id, when the caller is one. */ userId?: string };
}

/** One function per channel. A missing or misspelt handler does not compile. */
export type Handlers = { [C in Channel]: (request: ParsedReq<C>, ctx: CallContext) => Promise<Res<C>> };

export function validationError(channel: string, error: z.ZodError): OutpostError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'request';
  return new OutpostError('invalid_input', `${channel}: ${where}: ${issue?.message ?? 'invalid request'}`, {
    hint: `Check the field "${where}" and try again. Nothing was changed.`,
  });
}

export function toErrorBody(err: unknown, log?: Logger): ErrorBody {
  if (err instanceof OutpostError) return err.toBody();
  // Anything else is a bug: the details go to the main-process log (redacted), never to the caller.
  log?.error('unexpected error in a handler', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return { code: 'internal', message: 'Outpost hit an internal error.', hint: 'See the main-process log for details.' };
}

type InvalidRequestListener = (channel: Channel, error: OutpostError, ctx: CallContext) => void | Promise<void>;
const invalidRequestListeners = new WeakMap<Handlers, InvalidRequestListener>();

/**
 * Tells `handlers` when dispatch refuses a request before it reaches them (its schema failed): the
 * guard audits refused mutations, and a schema refusal is one. Kept beside the handlers, so every
 * transport that dispatches to them reports it without knowing about audits.
 */
export function onInvalidRequest(handlers: Handlers, listener: InvalidRequestListener): void {
  invalidRequestListeners.set(handlers, listener);
}

export async function dispatch(
  handlers: Handlers,
  name: string,
  raw: unknown,
  ctx: CallContext,
  log?: Logger,
): Promise<Result<unknown>> {
  if (!isChannel(name)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown channel "${name.slice(0, 64)}".` } };
  }
  const parsed = channels[name].req.safeParse(raw ?? {});
  if (!parsed.success) {
    const error = validationError(name, parsed.error);
    try {
      await invalidRequestListeners.get(handlers)?.(name, error, ctx);
    } catch (err) {
      log?.error('could not record a refused request', { error: err instanceof Error ? err.message : String(err) });
    }
    return { ok: false, error: error.toBody() };
  }
  try {
    const handler = handlers[name] as (req: unknown, ctx: CallContext) => Promise<unknown>;
    return { ok: true, data: await handler(parsed.data, ctx) };
  } catch (err) {
    return { ok: false, error: toErrorBody(err, log) };
  }
}

/**
 * The services as an OutpostApi in the same process (the CLI, tests): calls go through dispatch,
 * exactly as over IPC or HTTP, and a refusal is thrown as the OutpostError it carries.
 */
export function localApi(handlers: Handlers, ctx: CallContext, on: OutpostApi['on'] = () => () => undefined, log?: Logger): OutpostApi {
  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      const result = await dispatch(handlers, channel, request, ctx, log);
      if (!result.ok) throw OutpostError.fromBody(result.error);
      return result.data as Res<C>;
    },
    on,
  };
}
