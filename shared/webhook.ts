// The payments webhook's wire format: what a shop or billing system POSTs to record a payment
// without anyone typing it in. The payment itself is the contract's PaymentRequest (one schema, so
// a delivery and payments:record can never disagree on what a payment is).
import { z } from 'zod';
import { PaymentRequest } from './contract';

/** Where the webhook is served: outside browser mode's per-run secret prefix (the sender cannot know it). */
export const WEBHOOK_PATH = '/webhooks/payments';

/** `Outpost-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=…]`. */
export const WEBHOOK_SIGNATURE_HEADER = 'Outpost-Signature';

/** A delivery signed more than this far from Outpost's clock (either way) is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Environment variables holding the shared secret (and, while rotating, the one before it). */
export const WEBHOOK_SECRET_ENV = 'OUTPOST_WEBHOOK_SECRET';
export const WEBHOOK_PREVIOUS_SECRET_ENV = 'OUTPOST_WEBHOOK_SECRET_PREVIOUS';

/** The sender's event id: the key of replay protection, so it must be the same on every retry. */
export const WebhookEventId = z
  .string()
  .min(1, 'give the event an id')
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'use printable ASCII characters without spaces');

export const PaymentEvent = z
  .object({
    id: WebhookEventId,
    type: z.literal('payment.succeeded', { error: 'the only event type is "payment.succeeded"' }),
    data: PaymentRequest,
  })
  .strict();
export type PaymentEvent = z.output<typeof PaymentEvent>;

/**
 * What became of a delivery, kept per event id: a repeat answers with the first outcome.
 * `recorded`: a new payment and its job; `already_recorded`: the same payment was recorded before
 * (by another event or by hand), nothing new; `conflict`: its reference is recorded with other
 * details; `refused`: payments:record refused it (e.g. an unknown plan).
 */
export const WEBHOOK_OUTCOMES = ['recorded', 'already_recorded', 'conflict', 'refused'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
