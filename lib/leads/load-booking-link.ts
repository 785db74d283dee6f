import type { Database } from "../db/database";
import type { LeadBooking } from "../reconcile/booking-fields";
import { type SubmissionTokenKeys, checkSubmissionToken, legacyTokenExpiry } from "./submission-token";

/** The bookings a /book link may show: what a lead sees about their own calls. */
export type LinkBooking = Pick<
  LeadBooking,
  | "current_uid"
  | "status"
  | "state"
  | "start_time"
  | "end_time"
  | "title"
  | "time_zone"
  | "join_url"
  | "location"
  | "paid"
>;

export type BookingLink =
  | { kind: "invalid" }
  | { kind: "expired"; expiresAt: Date }
  | { kind: "ok"; name: string; email: string; bookings: LinkBooking[] };

/**
 * What a /book link opens: nothing for a missing, malformed, forged or unknown token; "expired" past its
 * time; else the lead's name and email and the bookings that came through this very link (plus the ones staff
 * tied to this lead by hand). Bookings made through another link are never shown: a second intake with
 * someone's email gets a link of its own, which must not reveal their calls.
 */
export async function loadBookingLink(
  db: Database,
  token: string | null,
  keys: SubmissionTokenKeys,
  now = Date.now(),
): Promise<BookingLink> {
  const check = token ? checkSubmissionToken(token, keys, now) : ({ status: "invalid" } as const);
  if (check.status === "invalid") return { kind: "invalid" };
  if (check.status === "expired") return { kind: "expired", expiresAt: check.expiresAt };
  const [lead] = await db.sql<{
    id: string;
    name: string;
    email: string;
    created_at: Date;
    merged: boolean;
    owner: string;
  }>`
    select id, name, email, created_at, merged_into is not null as merged, public.resolve_lead(id) as owner
    from public.leads where submission_id = ${check.submissionId}`;
  if (!lead) return { kind: "invalid" };
  if (check.expiresAt === null) {
    const expiresAt = legacyTokenExpiry(lead.created_at, keys);
    if (expiresAt.getTime() <= now) return { kind: "expired", expiresAt };
  }
  const bookings = await db.sql<LinkBooking>`
    select current_uid, status, state, public.iso_time(start_time) as start_time, public.iso_time(end_time) as end_time,
      title, time_zone, join_url, location, paid
    from public.lead_bookings
    where lead_id = ${lead.owner} and (via_submission = ${check.submissionId} or (via_submission is null and not ${lead.merged}))
    order by start_time nulls last, root_uid collate "C"`;
  return { kind: "ok", name: lead.name, email: lead.email, bookings };
}
