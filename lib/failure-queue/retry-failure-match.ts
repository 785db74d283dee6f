import { appendAudit } from "../audit/append-audit";
import { type StaffCaller, actorOf } from "../audit/staff-actor";
import type { Database, Sql } from "../db/database";
import { lockFailure, resolveFailure } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import { findLeadForEvent, tokenVerdict } from "../reconcile/find-lead-for-event";
import { linkEventToLead, lockBookingUids } from "../reconcile/link-event-to-lead";
import { readFailureEventUids } from "./read-failure-event-uids";
import { type DecisionResult, changedStatusMessage, conflict, refused } from "./staff-decision";

/** Leads that share the attendee's email or name: suggestions for staff, never a match. */
async function countSuggestedLeads(sql: Sql, email: string | null, name: string | null): Promise<number> {
  const [row] = await sql<{ n: number }>`
    select count(*)::int as n from public.leads
    where merged_into is null and ((${email}::text is not null and lower(email) = lower(${email}::text))
      or (${name}::text is not null and lower(name) = lower(${name}::text)))`;
  return row.n;
}

const WHY_NOT: Record<string, string> = {
  unmatched: "no lead holds this booking and the event carries no token of ours",
  invalid_submission_token: "its token does not verify",
  expired_submission_token: "its token has expired",
};

/**
 * Runs the webhook's matching again, for an event that arrived before its lead or booking did. A match links
 * through the webhook's own function; no match leaves the item open and says what it found instead: never a
 * tie by email (the attendee controls it), but the leads staff might pick. Either way the attempt is audited.
 */
export async function retryFailureMatch(
  db: Database,
  request: { failureId: string },
  decision: StaffCaller,
  keys: SubmissionTokenKeys,
): Promise<DecisionResult> {
  const uids = await readFailureEventUids(db.sql, request.failureId);
  return transactionWithRetry(db, async (tx) => {
    await lockBookingUids(tx, uids);
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "open") return conflict(changedStatusMessage(failure.status));
    if (failure.verification !== "verified")
      return refused("An unverified event is never matched automatically.");
    if (!failure.event) return refused("This payload could not be parsed, so it cannot be matched.");
    const audit = { actor: actorOf(decision.staff), failureId: failure.id, requestContext: decision.context };

    const match = await findLeadForEvent(tx, failure.event, tokenVerdict(failure.event, keys));
    if (match.kind === "failure") {
      await appendAudit(tx, {
        ...audit,
        action: "failure.retry_unmatched",
        webhookEventId: failure.eventId,
        reason: match.reason,
      });
      const suggested = await countSuggestedLeads(
        tx,
        failure.event.attendeeEmail,
        failure.event.attendeeName,
      );
      const why = WHY_NOT[match.reason] ?? match.reason.replaceAll("_", " ");
      const href = `/admin/failures/${failure.id}`;
      if (suggested > 0) {
        const leads = suggested === 1 ? "1 lead shares" : `${suggested} leads share`;
        return {
          kind: "done",
          outcome: "suggestions",
          href,
          message: `No automatic match: ${why}. ${leads} the attendee's email or name: open the item to choose.`,
        };
      }
      return {
        kind: "done",
        outcome: "no_match",
        href,
        message: `No automatic match: ${why}, and no lead shares the attendee's email or name. The item stays open.`,
      };
    }
    await resolveFailure(tx, failure.id, {
      by: decision.staff.id,
      kind: "retry_matched",
      leadId: match.leadId,
    });
    await linkEventToLead(tx, match.leadId, failure.eventId, {
      ...audit,
      action: "failure.retry_matched",
      recordOutcome: false,
      reason: `matched by ${match.via.replaceAll("_", " ")}`,
    });
    const [lead] = await tx<{
      name: string;
      email: string;
    }>`select name, email from public.leads where id = ${match.leadId}`;
    return {
      kind: "done",
      outcome: "matched",
      message: `Matched to ${lead.name} (${lead.email}) by ${match.via.replaceAll("_", " ")}.`,
      leadId: match.leadId,
      href: `/admin/leads/${match.leadId}`,
    };
  });
}
