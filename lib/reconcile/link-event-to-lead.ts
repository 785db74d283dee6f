import type { Sql } from "../db/database";
import type { Actor } from "../audit/actors";
import type { FieldChange, LeadState } from "./booking-fields";

export type LinkOutcome = "applied" | "duplicate" | "stale";

/** One event linked by a call: the chosen one first, then each queued event it pulled in. */
export interface LinkStep {
  eventId: string;
  failureId: string | null;
  trigger: string;
  bookingUid: string;
  createdAt: string;
  action: string;
  outcome: LinkOutcome;
  changes: FieldChange[];
}

export interface LinkResult {
  outcome: LinkOutcome;
  leadId: string;
  steps: LinkStep[];
  before: LeadState;
  after: LeadState;
}

export interface LinkContext {
  actor: Actor;
  action: string;
  failureId?: string | null;
  reason?: string | null;
  requestContext?: Record<string, unknown> | null;
  /** Record the outcome on the event (a delivery being answered now), or keep the stored one. */
  recordOutcome: boolean;
}

/**
 * Links a stored event to a lead through public.link_event_to_lead: the fold, the writes, the audit entry and
 * the queued events it pulls in, in the caller's transaction. The caller holds the locks on the event's uids.
 */
export async function linkEventToLead(
  sql: Sql,
  leadId: string,
  eventId: string,
  context: LinkContext,
): Promise<LinkResult> {
  const [row] = await sql<{ result: LinkResult }>`
    select public.link_event_to_lead(${leadId}::uuid, ${eventId}::uuid, ${context}::jsonb) as result`;
  return row.result;
}

export async function lockBookingUids(sql: Sql, uids: (string | null | undefined)[]): Promise<void> {
  await sql`select public.lock_booking_uids(${uids.filter((uid): uid is string => !!uid)}::text[])`;
}
