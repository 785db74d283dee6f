import type { BookingFields } from "../../reconcile/booking-fields";
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
  previous_booking_uids: string[];
  booking_start: Date | null;
  booking_end: Date | null;
  booking_status: string | null;
  booking_status_reason: string | null;
  attendee_no_show: boolean | null;
  meeting_ended: boolean;
  version: number;
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

export async function insertLead(sql: Sql, lead: NewLead): Promise<LeadRow> {
  const [row] = await sql<LeadRow>`
    insert into public.leads (submission_id, name, email, phone, company, message)
    values (${lead.submissionId}, ${lead.name}, ${lead.email}, ${lead.phone ?? null}, ${lead.company ?? null},
            ${lead.message ?? null})
    returning *`;
  return row;
}

export async function lockLeadBySubmissionId(sql: Sql, submissionId: string): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`
    select * from public.leads where submission_id = ${submissionId} for update`;
  return row;
}

/** The lead that holds any of these booking uids, as its current booking or an earlier one. */
export async function lockLeadByBookingUids(sql: Sql, uids: string[]): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`
    select * from public.leads
    where cal_booking_uid = any(${uids}::text[]) or previous_booking_uids && ${uids}::text[]
    order by created_at, id
    limit 1
    for update`;
  return row;
}

export async function updateLeadBookingFields(sql: Sql, leadId: string, fields: BookingFields): Promise<LeadRow> {
  const [row] = await sql<LeadRow>`
    update public.leads set
      stage = ${fields.stage},
      cal_booking_uid = ${fields.cal_booking_uid},
      previous_booking_uids = ${fields.previous_booking_uids}::text[],
      booking_start = ${fields.booking_start}::timestamptz,
      booking_end = ${fields.booking_end}::timestamptz,
      booking_status = ${fields.booking_status},
      booking_status_reason = ${fields.booking_status_reason},
      attendee_no_show = ${fields.attendee_no_show}::boolean,
      meeting_ended = ${fields.meeting_ended},
      version = version + 1,
      updated_at = now()
    where id = ${leadId}
    returning *`;
  return row;
}

export async function lockLeadById(sql: Sql, leadId: string): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`select * from public.leads where id = ${leadId} for update`;
  return row;
}

export async function findLeadById(sql: Sql, leadId: string): Promise<LeadRow | undefined> {
  const [row] = await sql<LeadRow>`select * from public.leads where id = ${leadId}`;
  return row;
}
