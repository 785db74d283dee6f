import type { CalEvent } from "../cal/event";
import { eventIdempotencyKey } from "../cal/event-identity";
import type { Database } from "../db/database";
import { type Actor, WEBHOOK_ACTOR } from "../db/queries/audit-log";
import { recordDelivery, setEventOutcome } from "../db/queries/webhook-events";
import { enqueueFailure } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { applyEventToLead } from "./apply-event-to-lead";
import { findLeadForEvent } from "./find-lead-for-event";
import { lockBookingUids } from "./lock-booking-uids";

export interface VerifiedDelivery {
  rawBody: string;
  bodySha256: string;
  signatureHeader: string | null;
  webhookVersion: string | null;
}

export type ReconcileOutcome = "applied" | "duplicate" | "stale" | "queued";

/** Where the event came from: the webhook, or the backfill reading Cal.com's API, with its own key and actor. */
export interface EventOrigin {
  source: "webhook" | "backfill";
  idempotencyKey: string;
  actor: Actor;
  action: string;
}

export const webhookOrigin = (event: CalEvent): EventOrigin => ({
  source: "webhook",
  idempotencyKey: eventIdempotencyKey(event),
  actor: WEBHOOK_ACTOR,
  action: "lead.updated_by_webhook",
});

/**
 * One verified event, in one transaction: store the delivery (a repeat stops here), find the lead,
 * apply the planner's change with its stage-change and audit rows, or queue a failure and touch no lead.
 */
export function reconcileCalEvent(
  db: Database,
  delivery: VerifiedDelivery,
  event: CalEvent,
  submissionSecret: string,
  origin: EventOrigin = webhookOrigin(event),
): Promise<ReconcileOutcome> {
  return transactionWithRetry(db, async (tx) => {
    const stored = await recordDelivery(tx, {
      ...delivery,
      source: origin.source,
      idempotencyKey: origin.idempotencyKey,
      verification: "verified",
      event,
      triggerEvent: event.trigger,
      outcome: null,
    });
    if (!stored?.inserted) return "duplicate";

    await lockBookingUids(tx, [event.bookingUid, ...(event.rescheduleUid ? [event.rescheduleUid] : [])]);
    const match = await findLeadForEvent(tx, event, submissionSecret);
    if (match.kind === "failure") {
      await enqueueFailure(tx, stored.id, match.reason);
      await setEventOutcome(tx, stored.id, "queued");
      return "queued";
    }
    const { plan } = await applyEventToLead(tx, match.lead, { id: stored.id, event }, {
      actor: origin.actor,
      action: origin.action,
      recordOutcome: true,
    });
    return plan.outcome;
  });
}
