import type { CalEvent, LeadTrigger } from "../cal/event";
import type { BookingFields, BookingStatus, Stage } from "./booking-fields";

/**
 * The lead's booking fields as a pure function of the SET of events linked to it. Arrival order
 * cannot matter, so retries, duplicates and reordering all converge on the same lead:
 * - the current booking is the one no reschedule has replaced (the most recently active, if several);
 * - its status comes from its latest status event by createdAt (last write wins), as do its times;
 * - its no-show flag from its latest BOOKING_NO_SHOW_UPDATED; MEETING_ENDED marks it completed.
 */
const TIE_BREAK: Record<LeadTrigger, number> = {
  MEETING_ENDED: 0,
  BOOKING_REQUESTED: 1,
  BOOKING_CREATED: 2,
  BOOKING_RESCHEDULED: 3,
  BOOKING_NO_SHOW_UPDATED: 4,
  BOOKING_REJECTED: 5,
  BOOKING_CANCELLED: 6,
};

function compareEvents(a: CalEvent, b: CalEvent): number {
  return (
    a.createdAt.localeCompare(b.createdAt) ||
    TIE_BREAK[a.trigger] - TIE_BREAK[b.trigger] ||
    JSON.stringify(a).localeCompare(JSON.stringify(b))
  );
}

function latest(events: CalEvent[]): CalEvent | undefined {
  return events.reduce<CalEvent | undefined>((best, e) => (!best || compareEvents(e, best) > 0 ? e : best), undefined);
}

function statusOf(event: CalEvent): BookingStatus | null {
  switch (event.trigger) {
    case "BOOKING_REQUESTED":
      return "pending";
    case "BOOKING_CREATED":
    case "BOOKING_RESCHEDULED":
      return "accepted";
    case "BOOKING_REJECTED":
      return "rejected";
    case "BOOKING_CANCELLED":
      return event.requestReschedule ? "reschedule_requested" : "cancelled";
    default:
      return null;
  }
}

function currentBookingUid(events: CalEvent[]): string | null {
  const replaced = new Set(events.flatMap((e) => (e.rescheduleUid && e.rescheduleUid !== e.bookingUid ? [e.rescheduleUid] : [])));
  const uids = [...new Set(events.map((e) => e.bookingUid))];
  const heads = uids.filter((uid) => !replaced.has(uid));
  const candidates = heads.length > 0 ? heads : uids;
  const mostRecent = latest(events.filter((e) => candidates.includes(e.bookingUid)));
  return mostRecent?.bookingUid ?? null;
}

function noShowFlag(event: CalEvent | undefined, leadEmail: string): boolean | null {
  if (!event || event.noShowAttendees.length === 0) return null;
  const own = event.noShowAttendees.find((a) => a.email.toLowerCase() === leadEmail.toLowerCase());
  return own ? own.noShow : event.noShowAttendees.some((a) => a.noShow);
}

function stageOf(status: BookingStatus | null, noShow: boolean | null, ended: boolean): Stage {
  switch (status) {
    case "pending":
      return "booking_requested";
    case "rejected":
      return "booking_rejected";
    case "cancelled":
    case "reschedule_requested":
      return "call_cancelled";
    default:
      if (noShow === true) return "no_show";
      return ended ? "call_completed" : "call_booked";
  }
}

export function foldBookingEvents(events: CalEvent[], leadEmail: string): BookingFields {
  const head = currentBookingUid(events);
  if (head === null) {
    return {
      stage: "new",
      cal_booking_uid: null,
      previous_booking_uids: [],
      booking_start: null,
      booking_end: null,
      booking_status: null,
      booking_status_reason: null,
      attendee_no_show: null,
      meeting_ended: false,
    };
  }
  const own = events.filter((e) => e.bookingUid === head);
  const statusEvent = latest(own.filter((e) => statusOf(e) !== null));
  const timed = latest(own.filter((e) => e.startTime && e.endTime));
  const ended = own.some((e) => e.trigger === "MEETING_ENDED");
  const noShow = noShowFlag(latest(own.filter((e) => e.trigger === "BOOKING_NO_SHOW_UPDATED")), leadEmail);
  const status = statusEvent ? statusOf(statusEvent) : ended ? "accepted" : null;
  const known = new Set(events.flatMap((e) => [e.bookingUid, e.rescheduleUid ?? e.bookingUid]));
  known.delete(head);

  return {
    stage: stageOf(status, noShow, ended),
    cal_booking_uid: head,
    previous_booking_uids: [...known].sort(),
    booking_start: timed?.startTime ?? null,
    booking_end: timed?.endTime ?? null,
    booking_status: status,
    booking_status_reason: statusEvent?.reason ?? null,
    attendee_no_show: noShow,
    meeting_ended: ended,
  };
}
