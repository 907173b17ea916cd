// Webhook deliveries by the sender's event id (migration 5): claimed before the payment is recorded,
// then holding the first answer. The claim is one INSERT, so two deliveries of one id — in one
// process or in two sharing the database — never both go on to record.
import type { WebhookOutcome } from '../../../../shared/webhook';
import type { Database } from '../driver';

export interface WebhookEventRow {
  eventId: string;
  receivedAt: string;
  outcome: WebhookOutcome | 'pending';
  reference: string;
  /** The first answer (HTTP status and JSON body); null while pending. */
  status: number | null;
  answer: string | null;
}

interface Row {
  event_id: string;
  received_at: string;
  outcome: WebhookEventRow['outcome'];
  reference: string;
  status: number | null;
  answer: string | null;
}

const toRow = (r: Row): WebhookEventRow => ({
  eventId: r.event_id,
  receivedAt: r.received_at,
  outcome: r.outcome,
  reference: r.reference,
  status: r.status,
  answer: r.answer,
});

export class WebhookEventsRepo {
  constructor(private readonly db: Database) {}

  /**
   * Claims `eventId` for this delivery: true when this call may record it. A pending claim older than
   * `staleBefore` (its process died mid-delivery) is taken over; any other existing row is not.
   */
  claim(eventId: string, reference: string, at: string, staleBefore: string): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO webhook_events (event_id, received_at, outcome, reference) VALUES (?, ?, 'pending', ?)
         ON CONFLICT (event_id) DO UPDATE SET received_at = excluded.received_at, reference = excluded.reference
         WHERE outcome = 'pending' AND received_at < ?`,
      )
      .run(eventId, at, reference, staleBefore);
    return result.changes === 1;
  }

  get(eventId: string): WebhookEventRow | null {
    const row = this.db.prepare('SELECT * FROM webhook_events WHERE event_id = ?').get(eventId) as Row | undefined;
    return row ? toRow(row) : null;
  }

  /** Keeps the first answer for every repeat of the id. */
  finish(eventId: string, outcome: WebhookOutcome, status: number, answer: string): void {
    this.db.prepare(`UPDATE webhook_events SET outcome = ?, status = ?, answer = ? WHERE event_id = ? AND outcome = 'pending'`).run(outcome, status, answer, eventId);
  }

  /** Gives a claim up (the delivery failed on our side): the sender's retry may record it. */
  release(eventId: string): void {
    this.db.prepare(`DELETE FROM webhook_events WHERE event_id = ? AND outcome = 'pending'`).run(eventId);
  }

  /** Forgets finished deliveries received before `before`; returns how many. */
  prune(before: string): number {
    return this.db.prepare(`DELETE FROM webhook_events WHERE received_at < ? AND outcome <> 'pending'`).run(before).changes;
  }
}
