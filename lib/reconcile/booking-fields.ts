/**
 * The vocabulary of a lead's booking state; the SQL fold (public.fold_lead_bookings) produces exactly these.
 */
export const STAGES = [
  "new",
  "booking_requested",
  "awaiting_payment",
  "call_booked",
  "reschedule_requested",
  "call_cancelled",
  "booking_rejected",
  "call_completed",
  "no_show",
] as const;
export type Stage = (typeof STAGES)[number];

export const BOOKING_STATUSES = [
  "pending",
  "awaiting_payment",
  "accepted",
  "cancelled",
  "reschedule_requested",
  "rejected",
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * live: pending, awaiting payment or accepted; completed and no_show: the call happened (or not); closed: the
 * rest.
 */
export const BOOKING_STATES = ["live", "completed", "no_show", "closed"] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

/** The lead's own projection of its current booking (the columns on `leads`). */
export interface LeadBookingFields {
  stage: Stage;
  cal_booking_uid: string | null;
  booking_start: string | null;
  booking_end: string | null;
  booking_status: BookingStatus | null;
  booking_status_reason: string | null;
  attendee_no_show: boolean | null;
  meeting_ended: boolean;
}

export const LEAD_BOOKING_FIELDS = [
  "stage",
  "cal_booking_uid",
  "booking_start",
  "booking_end",
  "booking_status",
  "booking_status_reason",
  "attendee_no_show",
  "meeting_ended",
] as const satisfies readonly (keyof LeadBookingFields)[];

/** One booking (a reschedule chain) as the fold derives it. */
export interface LeadBooking {
  root_uid: string;
  current_uid: string;
  uids: string[];
  status: BookingStatus;
  state: BookingState;
  status_reason: string | null;
  start_time: string | null;
  end_time: string | null;
  title: string | null;
  time_zone: string | null;
  join_url: string | null;
  location: string | null;
  paid: boolean;
  attendee_no_show: boolean | null;
  meeting_ended: boolean;
  via_submission: string | null;
}

export interface LeadState {
  lead: LeadBookingFields;
  bookings: LeadBooking[];
}

/**
 * One difference between two states: a lead field, or `booking <root uid>` with whole bookings on each side.
 */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}
