import type { Database } from "../db/database";
import { lockLeadById } from "../db/queries/leads";
import { storeOverriddenEvent } from "../db/queries/webhook-events";
import { lockFailure, resolveFailure } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { applyEventToLead } from "../reconcile/apply-event-to-lead";
import { lockBookingUids } from "../reconcile/lock-booking-uids";
import { eventOfFailure } from "./event-of-failure";
import { readFailureEventUids } from "./read-failure-event-uids";
import { type StaffDecision, actorOf } from "../audit/staff-actor";
import { type DecisionResult, changedStatusMessage, conflict, refused } from "./staff-decision";

export interface ApplyRequest {
  failureId: string;
  leadId: string;
  /** The versions the preview was drawn from: if either moved, nothing is written. */
  failureVersion: number;
  leadVersion: number;
  /** An unverified event changes a lead only through this explicit, reasoned override. */
  overrideUnverified: boolean;
  reason: string | null;
}

/**
 * Staff's manual match: the event goes through the same apply path the webhook uses, in one transaction
 * with the failure's resolution and the audit row, and only if nothing changed since the preview.
 */
export async function applyFailureToLead(db: Database, request: ApplyRequest, decision: StaffDecision): Promise<DecisionResult> {
  const uids = await readFailureEventUids(db.sql, request.failureId);
  return transactionWithRetry(db, async (tx) => {
    // Booking uids first, as the webhook takes them, so the two paths queue instead of deadlocking.
    await lockBookingUids(tx, uids);
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "open") return conflict(changedStatusMessage(failure.status));
    if (failure.version !== request.failureVersion) return conflict("This item changed since your preview. Review it again.");
    const event = eventOfFailure(failure);
    if (!event) return refused("This payload is not a booking event we can read, so there is nothing to apply. Discard it instead.");
    if (failure.eventLeadId) return conflict("This event is already linked to a lead.");
    const unverified = failure.verification === "unverified";
    if (unverified && !request.overrideUnverified) {
      return refused("This event's signature did not verify. Applying it needs the explicit override and a reason.");
    }
    if (unverified && !request.reason) return refused("Say why you are overriding the failed signature.");

    // An unverified body's uids were never stored, so they are locked only now (still before the lead).
    if (unverified) await lockBookingUids(tx, [event.bookingUid, ...(event.rescheduleUid ? [event.rescheduleUid] : [])]);
    const lead = await lockLeadById(tx, request.leadId);
    if (!lead) return refused("There is no such lead.");
    if (lead.version !== request.leadVersion) {
      return conflict("The lead changed since your preview. Review the new change before applying.");
    }
    // Every check passed: from here on, everything written commits together.
    if (unverified) await storeOverriddenEvent(tx, failure.eventId, event);
    // Resolved before applying, so the auto-link of queued events does not pick this one up again.
    await resolveFailure(tx, failure.id, {
      by: decision.staff.id,
      kind: unverified ? "applied_unverified_override" : "applied",
      leadId: lead.id,
      note: request.reason ?? undefined,
    });
    const { plan } = await applyEventToLead(tx, lead, { id: failure.eventId, event }, {
      actor: actorOf(decision.staff),
      action: unverified ? "failure.applied_unverified_override" : "failure.applied",
      recordOutcome: false,
      failureId: failure.id,
      reason: request.reason,
      requestContext: decision.context,
    });
    const summary = plan.outcome === "applied" ? `${plan.changes.length} field(s) changed` : `no change (${plan.outcome})`;
    return { kind: "done", message: `Applied to the lead: ${summary}.`, leadId: lead.id };
  });
}
