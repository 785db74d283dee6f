import type { CalEvent } from "../../cal/event";
import type { Sql } from "../database";
import type { Verification } from "./webhook-events";

/** Why an item is in the failure queue: the one list the queue's filter, its counts and the schema use. */
export const FAILURE_REASONS = [
  "unverified",
  "unmatched",
  "invalid_submission_token",
  "expired_submission_token",
  "unsupported_payload",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Where an item stands: waiting for staff, tied to a lead, or set aside. */
export const FAILURE_STATES = ["open", "resolved", "discarded"] as const;
export type FailureStatus = (typeof FAILURE_STATES)[number];

export async function enqueueFailure(
  sql: Sql,
  webhookEventId: string,
  reason: FailureReason,
  detail: string | null = null,
): Promise<string> {
  const [row] = await sql<{ id: string }>`
    insert into public.webhook_failures (webhook_event_id, reason, detail)
    values (${webhookEventId}, ${reason}, ${detail})
    returning id`;
  return row.id;
}

export async function resolveFailure(
  sql: Sql,
  failureId: string,
  resolution: { by: string; kind: string; leadId: string; note?: string },
): Promise<void> {
  await sql`
    update public.webhook_failures set
      status = 'resolved', resolved_at = now(), resolved_by = ${resolution.by}, resolution = ${resolution.kind},
      resolution_note = ${resolution.note ?? null}, resolved_lead_id = ${resolution.leadId}, version = version + 1
    where id = ${failureId}`;
}

export interface LockedFailure {
  id: string;
  reason: FailureReason;
  status: FailureStatus;
  version: number;
  eventId: string;
  verification: Verification;
  event: CalEvent | null;
  rawBody: string;
  eventLeadId: string | null;
}

/** A failure and its event, locked for a staff decision. */
export async function lockFailure(sql: Sql, failureId: string): Promise<LockedFailure | undefined> {
  const [row] = await sql<LockedFailure>`
    select f.id, f.reason, f.status, f.version, e.id as "eventId", e.verification, e.event, e.raw_body as "rawBody",
      e.lead_id as "eventLeadId"
    from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id
    where f.id = ${failureId}
    for update of f`;
  return row;
}

export async function markFailureDiscarded(
  sql: Sql,
  failureId: string,
  by: string,
  note: string,
): Promise<void> {
  await sql`
    update public.webhook_failures set
      status = 'discarded', resolved_at = now(), resolved_by = ${by}, resolution = 'discarded',
      resolution_note = ${note}, resolved_lead_id = null, version = version + 1
    where id = ${failureId}`;
}

export async function reopenFailure(sql: Sql, failureId: string): Promise<void> {
  await sql`
    update public.webhook_failures set
      status = 'open', resolved_at = null, resolved_by = null, resolution = null, resolution_note = null,
      resolved_lead_id = null, version = version + 1
    where id = ${failureId}`;
}
