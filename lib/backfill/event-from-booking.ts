import type { CalEvent, LeadTrigger } from "../cal/event";
import type { CalApiBooking } from "../cal-api/cal-api-client";

const iso = (value: string | null | undefined) => {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};

/**
 * A booking as Cal.com's API reports it now, turned into the event the webhook would have delivered for
 * its current state, timed at its last update so the fold orders it with real deliveries. A booking
 * that was rescheduled away is left out: its successor carries the state.
 */
export function eventFromBooking(booking: CalApiBooking): CalEvent | null {
  if (booking.rescheduledToUid) return null;
  const triggers: Record<string, LeadTrigger> = {
    pending: "BOOKING_REQUESTED",
    accepted: booking.rescheduledFromUid ? "BOOKING_RESCHEDULED" : "BOOKING_CREATED",
    cancelled: "BOOKING_CANCELLED",
    rejected: "BOOKING_REJECTED",
  };
  const trigger = triggers[booking.status.toLowerCase()];
  const createdAt = iso(booking.updatedAt) ?? iso(booking.createdAt);
  if (!trigger || !createdAt) return null;
  const submissionId = booking.metadata?.submissionId;
  const attendee = booking.attendees[0];
  return {
    trigger,
    createdAt,
    bookingUid: booking.uid,
    rescheduleUid: booking.rescheduledFromUid ?? null,
    submissionToken: typeof submissionId === "string" && submissionId.length > 0 ? submissionId : null,
    startTime: iso(booking.start),
    endTime: iso(booking.end),
    reason: booking.cancellationReason ?? null,
    requestReschedule: false,
    noShowAttendees: [],
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    title: booking.title ?? null,
  };
}
