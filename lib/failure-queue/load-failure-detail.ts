import type { CalEvent } from "../cal/event";
import type { Sql } from "../db/database";
import type { Verification } from "../db/queries/webhook-events";
import type { FailureStatus } from "../db/queries/webhook-failures";

export interface FailureDetail {
  id: string;
  reason: string;
  detail: string | null;
  status: FailureStatus;
  version: number;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
  resolutionNote: string | null;
  resolvedLeadId: string | null;
  eventId: string;
  verification: Verification;
  webhookVersion: string | null;
  signatureHeader: string | null;
  bodySha256: string;
  rawBody: string;
  trigger: string | null;
  eventCreatedAt: Date | null;
  receivedAt: Date;
  lastReceivedAt: Date;
  deliveryCount: number;
  bookingUid: string | null;
  rescheduleUid: string | null;
  submissionToken: string | null;
  attendeeEmail: string | null;
  attendeeName: string | null;
  event: CalEvent | null;
  eventLeadId: string | null;
}

export async function loadFailureDetail(sql: Sql, failureId: string): Promise<FailureDetail | undefined> {
  const [row] = await sql<FailureDetail>`
    select f.id, f.reason, f.detail, f.status, f.version, f.created_at as "createdAt", f.resolved_at as "resolvedAt",
      coalesce(s.email, f.resolved_by) as "resolvedBy", f.resolution, f.resolution_note as "resolutionNote",
      f.resolved_lead_id as "resolvedLeadId", e.id as "eventId", e.verification, e.webhook_version as "webhookVersion",
      e.signature_header as "signatureHeader", e.body_sha256 as "bodySha256", e.raw_body as "rawBody",
      e.trigger_event as trigger, e.event_created_at as "eventCreatedAt", e.received_at as "receivedAt",
      e.last_received_at as "lastReceivedAt", e.delivery_count as "deliveryCount", e.booking_uid as "bookingUid",
      e.reschedule_uid as "rescheduleUid", e.submission_token as "submissionToken", e.attendee_email as "attendeeEmail",
      e.attendee_name as "attendeeName", e.event, e.lead_id as "eventLeadId"
    from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id
    left join public.staff_users s on s.id::text = f.resolved_by
    where f.id = ${failureId}`;
  return row;
}

/** Only the stored body of an item's delivery, for its download. */
export async function loadFailureBody(
  sql: Sql,
  failureId: string,
): Promise<{ eventId: string; rawBody: string } | undefined> {
  const [row] = await sql<{ eventId: string; rawBody: string }>`
    select e.id as "eventId", e.raw_body as "rawBody"
    from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where f.id = ${failureId}`;
  return row;
}

export interface RelatedDelivery {
  id: string;
  trigger: string | null;
  eventCreatedAt: Date | null;
  receivedAt: Date;
  deliveryCount: number;
  verification: string;
  outcome: string | null;
  failureId: string | null;
  /** How staff or a later tie resolved its queue item, if it had one. */
  resolution: string | null;
}

/**
 * Every stored event about the same booking (or the same body), so staff see the delivery history at once.
 */
export async function loadRelatedDeliveries(sql: Sql, detail: FailureDetail): Promise<RelatedDelivery[]> {
  const uids = [detail.bookingUid, detail.rescheduleUid].filter((uid): uid is string => !!uid);
  return sql<RelatedDelivery>`
    select e.id, coalesce(e.trigger_event, e.claimed ->> 'trigger') as trigger, e.event_created_at as "eventCreatedAt", e.received_at as "receivedAt",
      e.delivery_count as "deliveryCount", e.verification, e.outcome, f.id as "failureId",
      f.resolution
    from public.webhook_events e
    left join public.webhook_failures f on f.webhook_event_id = e.id
    where e.id = ${detail.eventId} or e.body_sha256 = ${detail.bodySha256}
      or e.booking_uid = any(${uids}::text[]) or e.reschedule_uid = any(${uids}::text[])
    order by e.received_at, e.id
    limit 50`;
}
