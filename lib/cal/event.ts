/** The triggers that can change a lead. Everything else Cal.com sends (PING, MEETING_STARTED…) is ignored. */
export const LEAD_TRIGGERS = [
  "BOOKING_REQUESTED",
  "BOOKING_PAYMENT_INITIATED",
  "BOOKING_CREATED",
  "BOOKING_PAID",
  "BOOKING_RESCHEDULED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
  "BOOKING_NO_SHOW_UPDATED",
  "MEETING_ENDED",
] as const;

export type LeadTrigger = (typeof LEAD_TRIGGERS)[number];

export function isLeadTrigger(value: string): value is LeadTrigger {
  return (LEAD_TRIGGERS as readonly string[]).includes(value);
}

export interface AttendeeNoShow {
  email: string;
  noShow: boolean;
}

/** One Cal.com event, normalised from its payload shape into what reconciliation needs. */
export interface CalEvent {
  trigger: LeadTrigger;
  /**
   * ISO time the event was sent. MEETING_ENDED's is the booking's creation time (Cal.com's quirk), or its end
   * time when the narrow body after a confirmation or payment has none.
   */
  createdAt: string;
  bookingUid: string;
  /** The booking this one replaced (a reschedule), if any. */
  rescheduleUid: string | null;
  /** `metadata.submissionId` as received: our signed token, unverified at this point. */
  submissionToken: string | null;
  startTime: string | null;
  endTime: string | null;
  /** Cancellation or rejection reason. */
  reason: string | null;
  /** A host's "request reschedule": the booking is cancelled and the guest is asked to pick a new time. */
  requestReschedule: boolean;
  /** BOOKING_NO_SHOW_UPDATED only: the attendees whose no-show flag was set. */
  noShowAttendees: AttendeeNoShow[];
  attendeeName: string | null;
  attendeeEmail: string | null;
  /** The attendee's IANA time zone, as they picked it in the booking page. */
  attendeeTimeZone?: string | null;
  title: string | null;
  /** Where to join: Cal.com's video link, or a location that is a URL. */
  joinUrl?: string | null;
  /** The booking's location as Cal.com names it (an address, a phone number, `integrations:…`). */
  location?: string | null;
}
