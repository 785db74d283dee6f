import type { CalEvent } from "./event";
import { parseCalBody } from "./parse-cal-body";

/**
 * What an unsigned body says about itself: staff read and search it as a claim; nothing ever matches on it.
 */
export type EventClaims = Pick<
  CalEvent,
  "trigger" | "bookingUid" | "rescheduleUid" | "submissionToken" | "attendeeEmail" | "attendeeName"
>;

/** A claim is for a person to read: a value longer than this is cut. */
const CLAIM_MAX_CHARS = 500;

/** The booking event an unverified body claims to be, parsed like a signed one; null when it is not one. */
export function claimedEvent(rawBody: string): CalEvent | null {
  try {
    const parsed = parseCalBody(JSON.parse(rawBody));
    return parsed.kind === "event" ? parsed.event : null;
  } catch {
    return null;
  }
}

export function claimsOf(event: CalEvent): EventClaims {
  const cut = (value: string | null) => (value === null ? null : value.slice(0, CLAIM_MAX_CHARS));
  return {
    trigger: event.trigger,
    bookingUid: event.bookingUid.slice(0, CLAIM_MAX_CHARS),
    rescheduleUid: cut(event.rescheduleUid),
    submissionToken: cut(event.submissionToken),
    attendeeEmail: cut(event.attendeeEmail),
    attendeeName: cut(event.attendeeName),
  };
}
