// Webhook deliveries by the sender's event id (migration 5): claimed before the payment is recorded,
// then holding the first answer. The claim is one INSERT, so two deliveries of one id — in one
// process or in two sharing the database — never both go on to record.
import type { WebhookOutcome } from '../../../../shared/webhook';
import type { Db } from '../engine';
import type { WebhookEventsTable } from '../tables';

export interface WebhookEventRow {
  eventId: string;
  receivedAt: string;
  outcome: WebhookOutcome | 'pending';
  reference: string;
  /** The first answer (HTTP status and JSON body); null while pending. */
  status: number | null;
  answer: string | null;
}

type Row = WebhookEventsTable;

const toRow = (r: Row): WebhookEventRow => ({
  eventId: r.event_id,
  receivedAt: r.received_at,
  outcome: r.outcome,
  reference: r.reference,
  status: r.status,
  answer: r.answer,
});

export class WebhookEventsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Claims `eventId` for this delivery: true when this call may record it. A pending claim older than
   * `staleBefore` (its process died mid-delivery) is taken over; any other existing row is not.
   */
  async claim(eventId: string, reference: string, at: string, staleBefore: string): Promise<boolean> {
    const result = await this.db
      .insertInto('webhook_events')
      .values({ event_id: eventId, received_at: at, outcome: 'pending', reference })
      .onConflict((oc) =>
        oc
          .column('event_id')
          .doUpdateSet({ received_at: (eb) => eb.ref('excluded.received_at'), reference: (eb) => eb.ref('excluded.reference') })
          .where('webhook_events.outcome', '=', 'pending')
          .where('webhook_events.received_at', '<', staleBefore),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(eventId: string): Promise<WebhookEventRow | null> {
    const row = await this.db.selectFrom('webhook_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /** Keeps the first answer for every repeat of the id. */
  async finish(eventId: string, outcome: WebhookOutcome, status: number, answer: string): Promise<void> {
    await this.db.updateTable('webhook_events').set({ outcome, status, answer }).where('event_id', '=', eventId).where('outcome', '=', 'pending').execute();
  }

  /** Gives a claim up (the delivery failed on our side): the sender's retry may record it. */
  async release(eventId: string): Promise<void> {
    await this.db.deleteFrom('webhook_events').where('event_id', '=', eventId).where('outcome', '=', 'pending').execute();
  }

  /** Forgets finished deliveries received before `before`; returns how many. */
  async prune(before: string): Promise<number> {
    const result = await this.db.deleteFrom('webhook_events').where('received_at', '<', before).where('outcome', '<>', 'pending').executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
