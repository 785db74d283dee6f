import type { CalEvent } from "../cal/event";
import type { Sql } from "../db/database";
import { type LeadRow, lockLeadByBookingUids, lockLeadBySubmissionId } from "../db/queries/leads";
import type { FailureReason } from "../db/queries/webhook-failures";
import { verifySubmissionToken } from "../leads/submission-token";

export type LeadMatch =
  | { kind: "lead"; lead: LeadRow; via: "submission_token" | "booking_uid" | "reschedule_uid" }
  | { kind: "failure"; reason: Extract<FailureReason, "unmatched" | "invalid_submission_token"> };

/**
 * Finds and locks the lead an event belongs to: by its signed submission token, else by the booking uid
 * a lead already holds, else (a reschedule without our metadata) by the uid it replaced. Email is never
 * used: it is editable in the booking form. A token that fails its signature is never trusted, even
 * when the uid would match: it means someone edited it.
 */
export async function findLeadForEvent(sql: Sql, event: CalEvent, submissionSecret: string): Promise<LeadMatch> {
  if (event.submissionToken !== null) {
    const submissionId = verifySubmissionToken(event.submissionToken, submissionSecret);
    if (submissionId === null) return { kind: "failure", reason: "invalid_submission_token" };
    const lead = await lockLeadBySubmissionId(sql, submissionId);
    return lead ? { kind: "lead", lead, via: "submission_token" } : { kind: "failure", reason: "unmatched" };
  }
  const byUid = await lockLeadByBookingUids(sql, [event.bookingUid]);
  if (byUid) return { kind: "lead", lead: byUid, via: "booking_uid" };
  if (event.rescheduleUid) {
    const byPrevious = await lockLeadByBookingUids(sql, [event.rescheduleUid]);
    if (byPrevious) return { kind: "lead", lead: byPrevious, via: "reschedule_uid" };
  }
  return { kind: "failure", reason: "unmatched" };
}
