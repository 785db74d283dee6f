import type { Sql } from "../db/database";
import { type Fragment, fragment, runFragment } from "../db/fragment";
import { type SubmissionTokenKeys, checkSubmissionToken } from "../leads/submission-token";
import { eventOfFailure } from "./event-of-failure";
import type { FailureDetail } from "./load-failure-detail";

export interface LeadSummary {
  id: string;
  name: string;
  email: string;
  stage: string;
  cal_booking_uid: string | null;
  booking_start: Date | null;
  company: string | null;
  created_at: Date;
  version: number;
  duplicate_of: string | null;
  bookings: number;
}

const leadSummaries = (sql: Sql, where: Fragment) =>
  runFragment<LeadSummary>(
    sql,
    fragment`
    select l.id, l.name, l.email, l.stage, l.cal_booking_uid, l.booking_start, l.company, l.created_at, l.version,
      l.duplicate_of, (select count(*)::int from public.lead_bookings b where b.lead_id = l.id) as bookings
    from public.leads l where l.merged_into is null and (${where}) order by l.created_at desc limit 10`,
  );

export interface CandidateLead {
  lead: LeadSummary;
  why: string[];
}

/**
 * The leads an event could belong to, each with why it is suggested: the lead its submission token names
 * (flagged when the token's signature fails), the lead holding its booking uid, leads with the attendee's
 * email or name. Suggestions only: staff decide, and the diff preview shows what deciding would do.
 */
export async function findCandidateLeads(
  sql: Sql,
  detail: FailureDetail,
  keys: SubmissionTokenKeys,
): Promise<CandidateLead[]> {
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
  const uids = (
    event ? [event.bookingUid, event.rescheduleUid] : [detail.bookingUid, detail.rescheduleUid]
  ).filter((uid): uid is string => !!uid);
  if (token) {
    const check = checkSubmissionToken(token, keys);
    const submissionId = check.status === "invalid" ? token.split(".")[0] : check.submissionId;
    const why = {
      valid: "its submission token names this lead",
      expired: "its submission token names this lead, but it has expired",
      invalid: "its submission token names this lead, but the token's signature is invalid",
    }[check.status];
    add(await leadSummaries(sql, fragment`l.submission_id = ${submissionId}`), why);
  }
  if (uids.length > 0) {
    add(
      await leadSummaries(
        sql,
        fragment`l.id in (select lead_id from public.booking_uids where uid = any(${uids}::text[]))`,
      ),
      "holds this booking",
    );
  }
  if (email) {
    add(await leadSummaries(sql, fragment`lower(l.email) = lower(${email})`), "same email as the attendee");
  }
  if (name) {
    add(await leadSummaries(sql, fragment`lower(l.name) = lower(${name})`), "same name as the attendee");
  }
  return [...candidates.values()];
}
