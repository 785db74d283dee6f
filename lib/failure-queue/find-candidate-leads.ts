import type { Sql } from "../db/database";
import { type Fragment, fragment, runFragment } from "../db/fragment";
import { verifySubmissionToken } from "../leads/submission-token";
import { eventOfFailure } from "./event-of-failure";
import type { FailureDetail } from "./load-failure-detail";

export interface LeadSummary {
  id: string;
  name: string;
  email: string;
  stage: string;
  cal_booking_uid: string | null;
  booking_start: Date | null;
  created_at: Date;
  version: number;
}

const leadSummaries = (sql: Sql, where: Fragment) =>
  runFragment<LeadSummary>(sql, fragment`
    select id, name, email, stage, cal_booking_uid, booking_start, created_at, version
    from public.leads where (${where}) order by created_at desc limit 10`);

export interface CandidateLead {
  lead: LeadSummary;
  why: string[];
}

/**
 * The leads an event could belong to, each with why it is suggested: the lead its submission token names
 * (flagged when the token's signature fails), the lead holding its booking uid, leads with the attendee's
 * email or name. Suggestions only: staff decide, and the diff preview shows what deciding would do.
 */
export async function findCandidateLeads(sql: Sql, detail: FailureDetail, submissionSecret: string): Promise<CandidateLead[]> {
  const candidates = new Map<string, CandidateLead>();
  const add = (leads: LeadSummary[], why: string) => {
    for (const lead of leads) {
      const entry = candidates.get(lead.id) ?? { lead, why: [] };
      entry.why.push(why);
      candidates.set(lead.id, entry);
    }
  };

  const event = eventOfFailure(detail);
  const token = event ? event.submissionToken : detail.submissionToken;
  const email = event ? event.attendeeEmail : detail.attendeeEmail;
  const name = event ? event.attendeeName : detail.attendeeName;
  const uids = (event ? [event.bookingUid, event.rescheduleUid] : [detail.bookingUid, detail.rescheduleUid]).filter(
    (uid): uid is string => !!uid,
  );
  if (token) {
    const verified = verifySubmissionToken(token, submissionSecret);
    const submissionId = verified ?? token.split(".")[0];
    add(
      await leadSummaries(sql, fragment`submission_id = ${submissionId}`),
      verified ? "its submission token names this lead" : "its submission token names this lead, but the token's signature is invalid",
    );
  }
  if (uids.length > 0) {
    add(
      await leadSummaries(sql, fragment`cal_booking_uid = any(${uids}::text[]) or previous_booking_uids && ${uids}::text[]`),
      "holds this booking",
    );
  }
  if (email) {
    add(await leadSummaries(sql, fragment`lower(email) = lower(${email})`), "same email as the attendee");
  }
  if (name) {
    add(await leadSummaries(sql, fragment`lower(name) = lower(${name})`), "same name as the attendee");
  }
  return [...candidates.values()];
}
