import type { AuditAction } from "@/lib/audit/audit-actions";
import type { LeadTrigger } from "@/lib/cal/event";

/**
 * What the console calls things. The database and Cal.com spell them `cal_booking_uid` and `BOOKING_CREATED`;
 * staff read "Booking uid" and "Booking created". Exports keep the stored spelling.
 */
const TRIGGERS: Record<
  LeadTrigger | "PING" | "MEETING_STARTED" | "FORM_SUBMITTED" | "RECORDING_READY",
  string
> = {
  BOOKING_REQUESTED: "Booking requested",
  BOOKING_PAYMENT_INITIATED: "Payment started",
  BOOKING_CREATED: "Booking created",
  BOOKING_PAID: "Booking paid",
  BOOKING_RESCHEDULED: "Booking rescheduled",
  BOOKING_CANCELLED: "Booking cancelled",
  BOOKING_REJECTED: "Booking rejected",
  BOOKING_NO_SHOW_UPDATED: "No-show updated",
  MEETING_ENDED: "Meeting ended",
  MEETING_STARTED: "Meeting started",
  PING: "Ping test",
  FORM_SUBMITTED: "Routing form submitted",
  RECORDING_READY: "Recording ready",
};

const FIELDS: Record<string, string> = {
  stage: "Stage",
  cal_booking_uid: "Booking uid",
  booking_start: "Call starts",
  booking_end: "Call ends",
  booking_status: "Booking status",
  booking_status_reason: "Status reason",
  attendee_no_show: "Attendee no-show",
  meeting_ended: "Meeting ended",
  status: "Status",
  submission_id: "Submission ID",
  merged_into: "Merged into",
  duplicate_of: "Possible duplicate of",
};

const ACTIONS: Record<AuditAction, string> = {
  "lead.updated_by_webhook": "Lead updated by a webhook",
  "lead.updated_by_backfill": "Lead updated by the backfill",
  "backfill.run": "Backfill run",
  "retention.purged": "Retention purge",
  "failure.auto_matched": "Queued event matched when its booking was tied",
  "failure.applied": "Applied to a lead",
  "failure.applied_unverified_override": "Applied over a failed signature",
  "failure.retry_matched": "Matched on a retry",
  "failure.retry_unmatched": "Retried, still no lead",
  "failure.discarded": "Discarded",
  "failure.reopened": "Reopened",
  "lead.merged": "Leads merged",
  "audit.exported": "Audit trail exported",
  "audit.chain_verified": "Chain verified in full",
};

const sentence = (value: string) => {
  const words = value.replaceAll("_", " ").replaceAll(".", " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function triggerLabel(trigger: string | null | undefined): string {
  if (!trigger) return "—";
  return TRIGGERS[trigger as keyof typeof TRIGGERS] ?? sentence(trigger);
}

/** A lead field, or `booking <uid>` for a whole booking in a diff. */
export function fieldLabel(field: string): string {
  if (field.startsWith("booking ")) return `Booking ${field.slice("booking ".length)}`;
  return FIELDS[field] ?? sentence(field);
}

/** A stage or a booking status: `call_booked` reads "Call booked". */
export function stateLabel(value: string | null | undefined): string {
  return value ? sentence(value) : "—";
}

export function actionLabel(action: string): string {
  return ACTIONS[action as AuditAction] ?? sentence(action);
}

/** Fields whose values are states, shown by their label too. */
export const STATE_FIELDS = new Set(["stage", "booking_status", "status"]);
