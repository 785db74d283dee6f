import type { Database } from "../db/database";
import { appendAudit } from "../db/queries/audit-log";
import { lockFailure, resolveFailure } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { applyEventToLead } from "../reconcile/apply-event-to-lead";
import { findLeadForEvent } from "../reconcile/find-lead-for-event";
import { lockBookingUids } from "../reconcile/lock-booking-uids";
import { readFailureEventUids } from "./read-failure-event-uids";
import { type StaffDecision, actorOf } from "../audit/staff-actor";
import { type DecisionResult, changedStatusMessage, conflict, refused } from "./staff-decision";

/**
 * Runs the webhook's matching again, for an event that arrived before its lead did. A match applies
 * through the webhook's own path; no match leaves the item open. Either way the attempt is audited.
 */
export async function retryFailureMatch(
  db: Database,
  request: { failureId: string },
  decision: StaffDecision,
  submissionSecret: string,
): Promise<DecisionResult> {
  const uids = await readFailureEventUids(db.sql, request.failureId);
  return transactionWithRetry(db, async (tx) => {
    await lockBookingUids(tx, uids);
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "open") return conflict(changedStatusMessage(failure.status));
    if (failure.verification !== "verified") return refused("An unverified event is never matched automatically.");
    if (!failure.event) return refused("This payload could not be parsed, so it cannot be matched.");
    const audit = { actor: actorOf(decision.staff), failureId: failure.id, requestContext: decision.context };

    const match = await findLeadForEvent(tx, failure.event, submissionSecret);
    if (match.kind === "failure") {
      await appendAudit(tx, { ...audit, action: "failure.retry_unmatched", webhookEventId: failure.eventId, reason: match.reason });
      return { kind: "done", message: `Still no lead (${match.reason.replaceAll("_", " ")}). The item stays open.` };
    }
    await resolveFailure(tx, failure.id, { by: decision.staff.id, kind: "retry_matched", leadId: match.lead.id });
    await applyEventToLead(tx, match.lead, { id: failure.eventId, event: failure.event }, {
      ...audit,
      action: "failure.retry_matched",
      recordOutcome: false,
      reason: `matched by ${match.via.replaceAll("_", " ")}`,
    });
    return { kind: "done", message: `Matched to ${match.lead.email} by ${match.via.replaceAll("_", " ")}.`, leadId: match.lead.id };
  });
}
