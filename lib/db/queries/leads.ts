import type { LeadBooking } from "../../reconcile/booking-fields";
import type { Sql } from "../database";

export interface LeadRow extends Record<string, unknown> {
  id: string;
  submission_id: string;
  name: string;
  email: string;
  phone: string | null;
  company: string | null;
  message: string | null;
  stage: string;
  cal_booking_uid: string | null;
  booking_start: Date | null;
  booking_end: Date | null;
  booking_status: string | null;
  booking_status_reason: string | null;
  attendee_no_show: boolean | null;
  meeting_ended: boolean;
  version: number;
  /** The earlier lead with the same email this one may duplicate; staff merge or keep both. */
  duplicate_of: string | null;
  /** Set once staff merged this lead into another: its token then answers for that lead. */
  merged_into: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewLead {
  submissionId: string;
  name: string;
  email: string;
  phone?: string;
  company?: string;
  message?: string;
}

/**
 * Inserts the lead, flagged as a possible duplicate of the first live lead with the same email (never joined
 * to it: anyone can type anyone's email). The lock on the email makes two concurrent intakes see each other.
 */
export async function insertLead(sql: Sql, lead: NewLead): Promise<LeadRow> {
  await sql`select pg_advisory_xact_lock(hashtextextended('lead-email:' || lower(${lead.email}), 0))`;
  const [row] = await sql<LeadRow>`
    insert into public.leads (submission_id, name, email, phone, company, message, duplicate_of)
    values (${lead.submissionId}, ${lead.name}, ${lead.email}, ${lead.phone ?? null}, ${lead.company ?? null},
      ${lead.message ?? null}, (
        select coalesce(l.duplicate_of, l.id) from public.leads l
        where lower(l.email) = lower(${lead.email}) and l.merged_into is null
        order by l.created_at, l.id limit 1))
    returning *`;
  return row;
}

/** The bookings the fold keeps for a lead, soonest first. */
export async function leadBookings(sql: Sql, leadId: string): Promise<LeadBooking[]> {
  return sql<LeadBooking>`
    select root_uid, current_uid, uids, status, state, status_reason, public.iso_time(start_time) as start_time,
      public.iso_time(end_time) as end_time, title, time_zone, join_url, location, paid, attendee_no_show, meeting_ended,
      via_submission
    from public.lead_bookings where lead_id = ${leadId}
    order by start_time nulls last, root_uid collate "C"`;
}

export async function lockLeadById(sql: Sql, leadId: string): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`select * from public.leads where id = ${leadId} for update`;
  return row;
}

export async function findLeadById(sql: Sql, leadId: string): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`select * from public.leads where id = ${leadId}`;
  return row;
}
