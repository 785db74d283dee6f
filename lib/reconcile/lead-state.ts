import type { CalEvent } from "../cal/event";
import type { Sql } from "../db/database";
import type { LeadState } from "./booking-fields";

/** What the lead row and its bookings hold now (public.stored_lead_state). */
export async function storedLeadState(sql: Sql, leadId: string): Promise<LeadState> {
  const [row] = await sql<{ state: LeadState }>`select public.stored_lead_state(${leadId}::uuid) as state`;
  return row.state;
}

/**
 * What the fold makes of `events` for a lead (public.fold_lead_bookings): the state the lead must end in once
 * they are all delivered, whatever their order. `submissionId` is the lead's own, for events that carry its
 * token.
 */
export async function foldLeadBookings(
  sql: Sql,
  events: CalEvent[],
  email: string,
  submissionId: string | null = null,
): Promise<LeadState> {
  const withSubmission = events.map((event) => ({
    ...event,
    viaSubmission:
      submissionId && event.submissionToken?.startsWith(`${submissionId}.`) ? submissionId : null,
  }));
  const [row] = await sql<{
    state: LeadState;
  }>`select public.fold_lead_bookings(${withSubmission}::jsonb, ${email}) as state`;
  return row.state;
}
