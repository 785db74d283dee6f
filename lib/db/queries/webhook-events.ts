import type { EventClaims } from "../../cal/claimed-event";
import type { CalEvent } from "../../cal/event";
import type { Sql } from "../database";

export type Verification = "verified" | "unverified";
export type StoredOutcome = "applied" | "duplicate" | "stale" | "ignored" | "queued";

export interface DeliveryRecord {
  idempotencyKey: string;
  /** `webhook` (Cal.com delivered it) or `backfill` (read from Cal.com's API because no delivery came). */
  source?: "webhook" | "backfill";
  verification: Verification;
  webhookVersion: string | null;
  signatureHeader: string | null;
  bodySha256: string;
  rawBody: string;
  event: CalEvent | null;
  triggerEvent: string | null;
  outcome: StoredOutcome | null;
  /** An unverified body's claims about itself, kept apart from the columns matching reads. */
  claimed?: EventClaims | null;
}

export interface RecordedDelivery {
  id: string;
  /** False when this key was stored before: the delivery is a repeat and its count went up instead. */
  inserted: boolean;
}

function columnsOf(record: DeliveryRecord) {
  const event = record.event;
  return {
    trigger: event?.trigger ?? record.triggerEvent,
    createdAt: event?.createdAt ?? null,
    bookingUid: event?.bookingUid ?? null,
    rescheduleUid: event?.rescheduleUid ?? null,
    token: event?.submissionToken ?? null,
    email: event?.attendeeEmail ?? null,
    name: event?.attendeeName ?? null,
  };
}

/**
 * Stores a delivery under its idempotency key. A concurrent repeat waits for the first one's
 * transaction and then counts as a repeat, so exactly one delivery of an event is ever processed.
 */
export async function recordDelivery(sql: Sql, record: DeliveryRecord): Promise<RecordedDelivery> {
  const c = columnsOf(record);
  const [row] = await sql<RecordedDelivery>`
    insert into public.webhook_events (
      idempotency_key, source, verification, webhook_version, signature_header, body_sha256, raw_body,
      trigger_event, event_created_at, booking_uid, reschedule_uid, submission_token,
      attendee_email, attendee_name, event, outcome, claimed)
    values (${record.idempotencyKey}, ${record.source ?? "webhook"}, ${record.verification}, ${record.webhookVersion}, ${record.signatureHeader},
      ${record.bodySha256}, ${record.rawBody}, ${c.trigger}, ${c.createdAt}::timestamptz, ${c.bookingUid},
      ${c.rescheduleUid}, ${c.token}, ${c.email}, ${c.name}, ${record.event}::jsonb, ${record.outcome}, ${record.claimed ?? null}::jsonb)
    on conflict (idempotency_key) do update
      set delivery_count = webhook_events.delivery_count + 1, last_received_at = now()
    returning id, (xmax = 0) as inserted`;
  return row;
}

/**
 * Keeps the event an unverified body claimed, once staff applied it by override, so later folds include it.
 */
export async function storeOverriddenEvent(sql: Sql, eventId: string, event: CalEvent): Promise<void> {
  await sql`
    update public.webhook_events set
      event = ${event}::jsonb, trigger_event = ${event.trigger}, event_created_at = ${event.createdAt}::timestamptz,
      booking_uid = ${event.bookingUid}, reschedule_uid = ${event.rescheduleUid},
      submission_token = ${event.submissionToken}, attendee_email = ${event.attendeeEmail},
      attendee_name = ${event.attendeeName}
    where id = ${eventId} and event is null`;
}
