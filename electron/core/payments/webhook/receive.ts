// A payments webhook delivery, from raw bytes to an answer: verify the signature, parse the event,
// claim its id, then record the payment through payments:record itself — the same guard, audit,
// UNIQUE reference and provisioning as a payment typed into the panel — and keep the answer, which
// every repeat of the id gets back. Transport-free: browser mode mounts it today, `outpost serve`
// will mount it unchanged.
import type { z } from 'zod';
import type { Res } from '../../../../shared/contract';
import type { ErrorBody } from '../../../../shared/errors';
import { PaymentEvent, WEBHOOK_TOLERANCE_SECONDS, type WebhookOutcome } from '../../../../shared/webhook';
import type { Store } from '../../db/store';
import { dispatch, type CallContext, type Handlers } from '../../dispatch';
import type { Logger } from '../../log';
import type { Clock } from '../../ports';
import { verifySignature } from './signature';

/** How long a delivery's id is remembered. Must cover 2 × the tolerance: see `prune` below. */
export const WEBHOOK_RETENTION_MS = 7 * 24 * 3600_000;
/** A pending claim this old belongs to a process that died mid-delivery; a retry may take it over. */
export const WEBHOOK_STALE_CLAIM_MS = 60_000;

export interface WebhookDelivery {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: string;
  /** The Outpost-Signature header, if any. */
  signature: string | undefined;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 409 | 503;
  body: Record<string, unknown>;
  /** Seconds, for a 503: when the sender may try again. */
  retryAfter?: number;
}

export interface PaymentWebhook {
  receive(delivery: WebhookDelivery): Promise<WebhookAnswer>;
}

export interface PaymentWebhookOptions {
  store: Store;
  /** The guarded handlers: the webhook calls payments:record through them, never around them. */
  handlers: Handlers;
  clock: Clock;
  /** The current secret first; while rotating, the previous one too. */
  secrets: readonly string[];
  log: Logger;
  /** The audit's actor for webhook payments. */
  actor?: string;
}

const refusal = (status: WebhookAnswer['status'], code: ErrorBody['code'], message: string, hint?: string): WebhookAnswer => ({
  status,
  body: { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } },
});

function invalidBody(error: z.ZodError, log: Logger): WebhookAnswer {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  log.warn('webhook delivery refused', { reason: 'invalid', field });
  return refusal(400, 'invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, `Fix the field "${field}" and send the event again. Nothing was recorded.`);
}

/** Codes after which the same delivery would be refused again: the answer is final and kept. */
const FINAL_REFUSALS: ReadonlySet<ErrorBody['code']> = new Set(['invalid_input', 'not_found', 'read_only', 'forbidden']);

export function createPaymentWebhook(options: PaymentWebhookOptions): PaymentWebhook {
  const { store, handlers, clock, secrets, log } = options;
  if (secrets.length === 0) throw new Error('createPaymentWebhook needs at least one secret');
  // Only payments:record is ever called with this principal: the payments role, the least the
  // permission table allows for it (its authority is the shared secret).
  const ctx: CallContext = { transport: 'webhook', principal: { actor: options.actor ?? 'webhook', role: 'payments' } };
  const iso = (ms: number) => new Date(ms).toISOString();

  /**
   * Forgetting an id is safe once no delivery that carries it can pass the signature check again:
   * one accepted at r was signed at t with |t − r| ≤ tolerance, so a replay of it fails the
   * timestamp check after r + 2 × tolerance. The retention is far longer, so that a sender that
   * re-signs its retries (fresh t, same id) still gets its first answer for days.
   */
  const prune = (now: number) => store.webhookEvents.prune(iso(now - Math.max(WEBHOOK_RETENTION_MS, 2 * WEBHOOK_TOLERANCE_SECONDS * 1000)));

  async function repeat(eventId: string): Promise<WebhookAnswer> {
    const seen = await store.webhookEvents.get(eventId);
    if (!seen || seen.outcome === 'pending' || seen.status === null || seen.answer === null) {
      return { ...refusal(503, 'unavailable', `Event ${eventId} is being recorded by another delivery.`, 'Send it again in a few seconds.'), retryAfter: 5 };
    }
    return { status: seen.status as WebhookAnswer['status'], body: { ...(JSON.parse(seen.answer) as Record<string, unknown>), duplicate: true } };
  }

  async function record(event: PaymentEvent): Promise<WebhookAnswer> {
    const result = await dispatch(handlers, 'payments:record', event.data, ctx, log);
    const reference = event.data.reference;
    let outcome: WebhookOutcome;
    let answer: WebhookAnswer;
    if (result.ok) {
      const { payment, created } = result.data as Res<'payments:record'>;
      outcome = created ? 'recorded' : 'already_recorded';
      answer = { status: 200, body: { ok: true, eventId: event.id, outcome, payment: { reference: payment.reference, status: payment.status, jobId: payment.jobId, instanceId: payment.instanceId } } };
    } else if (result.error.code === 'conflict') {
      outcome = 'conflict';
      answer = { status: 409, body: { ok: false, eventId: event.id, outcome, error: result.error } };
    } else if (FINAL_REFUSALS.has(result.error.code)) {
      outcome = 'refused';
      answer = { status: 400, body: { ok: false, eventId: event.id, outcome, error: result.error } };
    } else {
      // Our side failed (a cloud unreachable, the store busy, a bug): nothing is kept, so the
      // sender's retry records it. payments:record changed nothing, or its reference answers the retry.
      await store.webhookEvents.release(event.id);
      log.warn('webhook payment not recorded; the sender may retry', { eventId: event.id, reference, code: result.error.code });
      return { ...refusal(503, 'unavailable', 'Outpost could not record the payment just now.', 'Send the event again later; it will be recorded once.'), retryAfter: 30 };
    }
    await store.webhookEvents.finish(event.id, outcome, answer.status, JSON.stringify(answer.body));
    log.info('webhook payment', { eventId: event.id, reference, outcome });
    return answer;
  }

  return {
    async receive(delivery) {
      const now = clock.now();
      // The signature first: an unsigned sender learns nothing about the body's rules.
      const check = verifySignature(delivery.signature, delivery.rawBody, secrets, now);
      if (!check.ok) {
        log.warn('webhook delivery refused', { reason: check.reason });
        return refusal(401, 'unauthorized', check.message, 'Sign `<t>.<raw body>` with HMAC-SHA256 and the shared secret, with t the current Unix time.');
      }
      let json: unknown;
      try {
        json = JSON.parse(delivery.rawBody);
      } catch {
        return refusal(400, 'invalid_input', 'body: not valid JSON', 'Send the event as one JSON object. Nothing was recorded.');
      }
      const parsed = PaymentEvent.safeParse(json);
      if (!parsed.success) return invalidBody(parsed.error, log);
      const event = parsed.data;
      await prune(now);
      if (!(await store.webhookEvents.claim(event.id, event.data.reference, iso(now), iso(now - WEBHOOK_STALE_CLAIM_MS)))) return repeat(event.id);
      try {
        return await record(event);
      } catch (err) {
        await store.webhookEvents.release(event.id);
        throw err;
      }
    },
  };
}

/**
 * The webhook of an Outpost that cannot record anything (live mode blocked: no store is open). It is
 * still mounted, so the sender hears "try later" and keeps the event, rather than "not here".
 */
export const unavailableWebhook: PaymentWebhook = {
  receive: async () => ({
    ...refusal(503, 'unavailable', 'Outpost cannot record payments right now.', 'Send the event again later; an operator has been told why on the panel.'),
    retryAfter: 60,
  }),
};
