import type { CalEvent } from "../cal/event";
import { type BookingFields, type FieldChange, bookingFieldsOf, diffBookingFields } from "./booking-fields";
import { foldBookingEvents } from "./fold-booking-events";

/**
 * The one planner behind the webhook, the diff preview and the manual match: what linking `events`
 * to `lead` (whose already-linked events are `history`) would change. It sets target state rather than
 * applying deltas, so a replay or a late event can never move the lead backwards.
 */
export type LeadPlan =
  | { outcome: "applied"; before: BookingFields; after: BookingFields; changes: FieldChange[] }
  | { outcome: "duplicate" | "stale"; before: BookingFields };

export interface PlannableLead extends Record<string, unknown> {
  email: string;
}

/** Two subscriptions deliver one booking change twice, each with its own createdAt. */
function logicalKey(event: CalEvent): string {
  const noShow = event.noShowAttendees.map((a) => `${a.email.toLowerCase()}=${a.noShow}`).sort().join(",");
  return `${event.trigger}:${event.bookingUid}:${event.requestReschedule}:${noShow}`;
}

export function planLeadUpdate(lead: PlannableLead, history: CalEvent[], events: CalEvent[]): LeadPlan {
  const before = bookingFieldsOf(lead);
  const after = foldBookingEvents([...history, ...events], lead.email);
  const changes = diffBookingFields(before, after);
  if (changes.length > 0) return { outcome: "applied", before, after, changes };
  const seen = new Set(history.map(logicalKey));
  return { outcome: events.every((e) => seen.has(logicalKey(e))) ? "duplicate" : "stale", before };
}
