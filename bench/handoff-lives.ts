import { randomInt } from "node:crypto";
import {
  type CalBody,
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingPaid,
  makeBookingRejected,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
  makePaymentInitiated,
  newBookingUid,
} from "../lib/cal/payload-factories";

/**
 * Every kind of lead life the benchmark plays, built from Cal.com's real shapes (our token only where it is
 * sent).
 */
export const LIFE_KINDS = [
  "plain",
  "reschedule_link",
  "cancelled",
  "confirmation",
  "rejected",
  "paid",
  "no_show",
  "host_request_then_rebook",
  "two_bookings",
  "completed",
  "outside_book",
] as const;
export type LifeKind = (typeof LIFE_KINDS)[number];

export interface Life {
  kind: LifeKind;
  leadId: string;
  /** Bodies about this lead's bookings; for `outside_book` none can be tied (no token, no known uid). */
  bodies: CalBody[];
  /** Written by hand from Cal.com's behaviour, not from the fold: the state the lead must end in. */
  expected: { stage: string; uid: string | null };
}

const DAY = 86_400_000;

/** One lead's life; `token` is the signed submission ID its /book link carries. */
export function buildLife(
  kind: LifeKind,
  lead: { id: string; token: string; email: string; name: string },
  index: number,
): Life {
  const base = Date.parse("2027-02-01T09:00:00Z") + index * 60_000;
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const day = (days: number) => new Date(base + days * DAY).toISOString();
  const attendee = { name: lead.name, email: lead.email };
  const token = lead.token;
  const [a, b, c] = [newBookingUid(), newBookingUid(), newBookingUid()];
  const life = (bodies: CalBody[], stage: string, uid: string | null): Life => ({
    kind,
    leadId: lead.id,
    bodies,
    expected: { stage, uid },
  });
  switch (kind) {
    case "plain":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
        ],
        "call_booked",
        a,
      );
    case "reschedule_link":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingRescheduled({
            uid: b,
            rescheduleUid: a,
            attendee,
            createdAt: at(10),
            startTime: day(4),
          }),
          makeBookingRescheduled({
            uid: c,
            rescheduleUid: b,
            attendee,
            createdAt: at(20),
            startTime: day(5),
          }),
        ],
        "call_booked",
        c,
      );
    case "cancelled":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingCancelled({ uid: a, attendee, createdAt: at(30), startTime: day(3) }),
        ],
        "call_cancelled",
        a,
      );
    case "confirmation":
      return life(
        [
          makeBookingRequested({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingCreated({ uid: a, attendee, createdAt: at(45), startTime: day(3) }),
          makeMeetingEnded({ uid: a, narrow: true, attendee, startTime: day(3) }),
        ],
        "call_completed",
        a,
      );
    case "rejected":
      return life(
        [
          makeBookingRequested({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingRejected({ uid: a, attendee, createdAt: at(60), startTime: day(3) }),
        ],
        "booking_rejected",
        a,
      );
    case "paid":
      return life(
        [
          makePaymentInitiated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingCreated({ uid: a, attendee, createdAt: at(2), startTime: day(3) }),
          makeBookingPaid({ uid: a, attendee, createdAt: at(2.01), startTime: day(3) }),
        ],
        "call_booked",
        a,
      );
    case "no_show":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeNoShowUpdated({ uid: a, attendee, createdAt: day(3.1), noShow: true }),
        ],
        "no_show",
        a,
      );
    case "host_request_then_rebook":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingCancelled({
            uid: a,
            attendee,
            createdAt: at(60),
            startTime: day(3),
            ...(index % 2 ? { legacyRequestReschedule: true } : { requestReschedule: true }),
          }),
          makeBookingCreated({
            uid: b,
            submissionToken: token,
            attendee,
            createdAt: at(120),
            startTime: day(6),
          }),
        ],
        "call_booked",
        b,
      );
    case "two_bookings":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeBookingCreated({
            uid: b,
            submissionToken: token,
            attendee,
            createdAt: at(5),
            startTime: day(8),
          }),
          makeBookingCancelled({ uid: a, attendee, createdAt: at(90), startTime: day(3) }),
        ],
        "call_booked",
        b,
      );
    case "completed":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: token,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
          makeMeetingEnded({ uid: a, submissionToken: token, attendee, createdAt: at(0), startTime: day(3) }),
        ],
        "call_completed",
        a,
      );
    case "outside_book":
      return life(
        [
          makeBookingCreated({
            uid: a,
            submissionToken: null,
            attendee,
            createdAt: at(0),
            startTime: day(3),
          }),
        ],
        "new",
        null,
      );
  }
}

export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
