import type { CalEvent } from "../cal/event";
import type { Sql } from "../db/database";
import type { FailureReason } from "../db/queries/webhook-failures";
import { type SubmissionTokenKeys, type TokenCheck, checkSubmissionToken } from "../leads/submission-token";

export type TokenStatus = "valid" | "invalid" | "expired";

/** The app's verdict on an event's token, for the database: the secret never leaves the app. */
export interface TokenVerdict {
  status: TokenStatus | null;
  submissionId: string | null;
}

export function tokenVerdict(event: CalEvent, keys: SubmissionTokenKeys): TokenVerdict {
  if (event.submissionToken === null) return { status: null, submissionId: null };
  const check: TokenCheck = checkSubmissionToken(event.submissionToken, keys);
  return check.status === "invalid"
    ? { status: "invalid", submissionId: null }
    : { status: check.status, submissionId: check.submissionId };
}

export type LeadMatch =
  | { kind: "lead"; leadId: string; via: "submission_token" | "booking_uid" | "reschedule_uid" }
  | {
      kind: "failure";
      reason: Exclude<FailureReason, "unverified" | "unsupported_payload">;
      detail: string | null;
      leadId: string | null;
    };

/**
 * The lead an event belongs to (public.find_lead_for_event): the lead already holding its booking uid (or
 * the uid it replaced), else the lead its verified, unexpired token names. Email is never used: the attendee
 * edits it in the booking form. A token whose MAC fails is never trusted, even when the uid would match.
 */
export async function findLeadForEvent(sql: Sql, event: CalEvent, verdict: TokenVerdict): Promise<LeadMatch> {
  const [row] = await sql<{
    match: { leadId?: string; via?: string; reason?: string; detail?: string | null };
  }>`
    select public.find_lead_for_event(${event}::jsonb, ${verdict.status}, ${verdict.submissionId}) as match`;
  const { match } = row;
  if (match.reason) {
    return {
      kind: "failure",
      reason: match.reason as Extract<LeadMatch, { kind: "failure" }>["reason"],
      detail: match.detail ?? null,
      leadId: match.leadId ?? null,
    };
  }
  return {
    kind: "lead",
    leadId: match.leadId as string,
    via: match.via as Extract<LeadMatch, { kind: "lead" }>["via"],
  };
}
