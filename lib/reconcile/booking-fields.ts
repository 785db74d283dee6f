/** The lead's fields that Cal.com events decide. Everything else on a lead belongs to the lead. */
export const STAGES = [
  "new",
  "booking_requested",
  "call_booked",
  "call_cancelled",
  "booking_rejected",
  "call_completed",
  "no_show",
] as const;
export type Stage = (typeof STAGES)[number];

export type BookingStatus = "pending" | "accepted" | "cancelled" | "reschedule_requested" | "rejected";

export interface BookingFields {
  stage: Stage;
  cal_booking_uid: string | null;
  previous_booking_uids: string[];
  booking_start: string | null;
  booking_end: string | null;
  booking_status: BookingStatus | null;
  booking_status_reason: string | null;
  attendee_no_show: boolean | null;
  meeting_ended: boolean;
}

export const BOOKING_FIELD_NAMES = [
  "stage",
  "cal_booking_uid",
  "previous_booking_uids",
  "booking_start",
  "booking_end",
  "booking_status",
  "booking_status_reason",
  "attendee_no_show",
  "meeting_ended",
] as const satisfies readonly (keyof BookingFields)[];

export interface FieldChange {
  field: keyof BookingFields;
  from: unknown;
  to: unknown;
}

const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();

/** Reads the booking fields off a lead row as either driver returns it (timestamps as Date). */
export function bookingFieldsOf(lead: Record<string, unknown>): BookingFields {
  return {
    stage: lead.stage as Stage,
    cal_booking_uid: (lead.cal_booking_uid as string | null) ?? null,
    previous_booking_uids: [...((lead.previous_booking_uids as string[] | null) ?? [])].sort(),
    booking_start: isoOrNull(lead.booking_start),
    booking_end: isoOrNull(lead.booking_end),
    booking_status: (lead.booking_status as BookingStatus | null) ?? null,
    booking_status_reason: (lead.booking_status_reason as string | null) ?? null,
    attendee_no_show: (lead.attendee_no_show as boolean | null) ?? null,
    meeting_ended: lead.meeting_ended === true,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function diffBookingFields(before: BookingFields, after: BookingFields): FieldChange[] {
  return BOOKING_FIELD_NAMES.filter((field) => !same(before[field], after[field])).map((field) => ({
    field,
    from: before[field],
    to: after[field],
  }));
}
