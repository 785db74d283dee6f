import { type StaffCaller, actorOf } from "../audit/staff-actor";
import type { Database } from "../db/database";
import { lockLeadById } from "../db/queries/leads";
import { storeOverriddenEvent } from "../db/queries/webhook-events";
import { lockFailure, resolveFailure } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { type LinkResult, linkEventToLead, lockBookingUids } from "../reconcile/link-event-to-lead";
import { eventOfFailure } from "./event-of-failure";
import { readFailureEventUids } from "./read-failure-event-uids";
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

export type ApplyResult = DecisionResult & {
  link?: LinkResult;
  leadVersion?: number;
  failureVersion?: number;
};

/**
 * Thrown to roll a preview's transaction back once it has run: what it carries is what applying would write.
 */
class PreviewRollback extends Error {
  constructor(readonly result: ApplyResult) {
    super("preview rolled back");
  }
}

type Mode =
  | { preview: false; request: ApplyRequest }
  | { preview: true; request: Pick<ApplyRequest, "failureId" | "leadId"> };

async function runApply(db: Database, mode: Mode, decision: StaffCaller): Promise<ApplyResult> {
  const { request } = mode;
  const uids = await readFailureEventUids(db.sql, request.failureId);
  return transactionWithRetry(db, async (tx) => {
    // Booking uids first, as the webhook takes them, so the two paths queue instead of deadlocking.
    await lockBookingUids(tx, uids);
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "open") return conflict(changedStatusMessage(failure.status));
    if (!mode.preview && failure.version !== mode.request.failureVersion) {
      return conflict("This item changed since your preview. Review it again.");
    }
    const event = eventOfFailure(failure);
    if (!event)
      return refused(
        "This payload is not a booking event we can read, so there is nothing to apply. Discard it instead.",
      );
    if (failure.eventLeadId) return conflict("This event is already linked to a lead.");
    const unverified = failure.verification === "unverified";
    if (!mode.preview && unverified && !mode.request.overrideUnverified) {
      return refused(
        "This event's signature did not verify. Applying it needs the explicit override and a reason.",
      );
    }
    if (!mode.preview && unverified && !mode.request.reason)
      return refused("Say why you are overriding the failed signature.");

    // An unverified body's uids were never stored, so they are locked only now (still before the lead).
    if (unverified) await lockBookingUids(tx, [event.bookingUid, event.rescheduleUid]);
    const owner = await tx<{ lead_id: string }>`
      select lead_id from public.booking_uids where uid = any(${[event.bookingUid, event.rescheduleUid].filter(Boolean)}::text[])
        and lead_id <> ${request.leadId}::uuid limit 1`;
    if (owner.length > 0)
      return refused("This booking is already tied to another lead: open that lead to work on it.");
    const lead = await lockLeadById(tx, request.leadId);
    if (!lead) return refused("There is no such lead.");
    if (lead.merged_into) return refused("This lead was merged into another: apply the event to that one.");
    if (!mode.preview && lead.version !== mode.request.leadVersion) {
      return conflict("The lead changed since your preview. Review the new change before applying.");
    }
    const reason = mode.preview ? null : mode.request.reason;
    // Every check passed: from here on, everything written commits together.
    if (unverified) await storeOverriddenEvent(tx, failure.eventId, event);
    // Resolved before linking, so the pull-in of queued events does not pick this one up again.
    await resolveFailure(tx, failure.id, {
      by: decision.staff.id,
      kind: unverified ? "applied_unverified_override" : "applied",
      leadId: lead.id,
      note: reason ?? undefined,
    });
    const link = await linkEventToLead(tx, lead.id, failure.eventId, {
      actor: actorOf(decision.staff),
      action: unverified ? "failure.applied_unverified_override" : "failure.applied",
      failureId: failure.id,
      reason,
      requestContext: decision.context,
      recordOutcome: false,
    });
    const pulled = link.steps.length - 1;
    const changed = link.steps.reduce((sum, step) => sum + step.changes.length, 0);
    const summary =
      changed > 0 ? `${changed} change${changed === 1 ? "" : "s"}` : `no change (${link.outcome})`;
    const extra =
      pulled > 0 ? `, with ${pulled} queued event${pulled === 1 ? "" : "s"} for the same booking` : "";
    const result: ApplyResult = {
      kind: "done",
      message: `Applied to the lead: ${summary}${extra}.`,
      leadId: lead.id,
      link,
      leadVersion: lead.version,
      failureVersion: failure.version,
    };
    if (mode.preview) throw new PreviewRollback(result);
    return result;
  });
}

/**
 * Staff's manual match: the event goes through the webhook's own link function, in one transaction with the
 * failure's resolution and the audit entry, and only if nothing changed since the preview.
 */
export function applyFailureToLead(
  db: Database,
  request: ApplyRequest,
  decision: StaffCaller,
): Promise<ApplyResult> {
  return runApply(db, { preview: false, request }, decision);
}

/**
 * The diff preview: the very same apply, run and then rolled back, so it shows exactly what applying writes,
 * including every queued event the link pulls in. The versions it saw are what Apply must still find.
 */
export async function previewFailureMatch(
  db: Database,
  request: Pick<ApplyRequest, "failureId" | "leadId">,
  decision: StaffCaller,
): Promise<ApplyResult> {
  try {
    return await runApply(db, { preview: true, request }, decision);
  } catch (error) {
    if (error instanceof PreviewRollback) return error.result;
    throw error;
  }
}
