import { randomBytes } from "node:crypto";

/**
 * Realistic Cal.com webhook bodies (payload version 2021-10-20), for tests, benchmarks and `npm run
 * cal:simulate`. Shapes follow the examples in tests/fixtures/cal: our token only where Cal.com puts it.
 */
export interface BodyOptions {
  uid?: string;
  createdAt?: string;
  /** Put into payload.metadata.submissionId; null leaves metadata without it. */
  submissionToken?: string | null;
  rescheduleUid?: string;
  startTime?: string;
  endTime?: string;
  attendee?: { name: string; email: string };
  reason?: string;
  requestReschedule?: boolean;
  /** An older Cal.com's request reschedule: no flag, a reason that starts with "Please reschedule.". */
  legacyRequestReschedule?: boolean;
  noShow?: boolean;
  title?: string;
}

export type CalBody = Record<string, unknown>;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A fresh booking uid shaped like Cal.com's (22 alphanumerics). */
export function newBookingUid(): string {
  return [...randomBytes(22)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
}

function callTimes(options: BodyOptions) {
  const start =
    options.startTime ?? new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, ".000Z");
  const end = options.endTime ?? new Date(Date.parse(start) + 30 * 60_000).toISOString();
  return { startTime: start, endTime: end };
}

function bookingPayload(status: string, options: BodyOptions) {
  const attendee = options.attendee ?? { name: "Priya Shah", email: "priya@client.example" };
  const uid = options.uid ?? newBookingUid();
  const metadata: Record<string, string> = { videoCallUrl: `https://app.cal.com/video/${uid}` };
  if (options.submissionToken) metadata.submissionId = options.submissionToken;
  return {
    uid,
    bookingId: 40_000 + (randomBytes(2).readUInt16BE() % 10_000),
    title: options.title ?? `Intro call between Dana Okafor and ${attendee.name}`,
    type: "intro-call",
    eventTypeId: 7731,
    ...callTimes(options),
    status,
    organizer: {
      id: 12,
      name: "Dana Okafor",
      email: "dana@ourco.example",
      timeZone: "Europe/Berlin",
      language: { locale: "en" },
    },
    attendees: [{ ...attendee, timeZone: "America/New_York", language: { locale: "en" } }],
    responses: {
      name: { label: "your_name", value: attendee.name },
      email: { label: "email_address", value: attendee.email },
    },
    location: "integrations:daily",
    metadata,
  };
}

const envelope = (triggerEvent: string, options: BodyOptions, payload: Record<string, unknown>): CalBody => ({
  triggerEvent,
  createdAt: options.createdAt ?? new Date().toISOString(),
  payload,
});

export const makeBookingRequested = (o: BodyOptions = {}) =>
  envelope("BOOKING_REQUESTED", o, { ...bookingPayload("PENDING", o), requiresConfirmation: true });

export const makeBookingCreated = (o: BodyOptions = {}) =>
  envelope("BOOKING_CREATED", o, bookingPayload("ACCEPTED", o));

export const makeBookingRescheduled = (o: BodyOptions & { rescheduleUid: string }) =>
  envelope("BOOKING_RESCHEDULED", o, {
    ...bookingPayload("ACCEPTED", o),
    rescheduleUid: o.rescheduleUid,
    rescheduledBy: (o.attendee ?? { email: "priya@client.example" }).email,
  });

/** Cal.com sends no metadata with a cancellation or a rejection. */
function withoutMetadata(payload: ReturnType<typeof bookingPayload>) {
  const { metadata, ...rest } = payload;
  return rest;
}

export const makeBookingCancelled = (o: BodyOptions = {}) => {
  const reason =
    o.reason ??
    (o.legacyRequestReschedule ? "Please reschedule. The host is travelling" : "We chose another vendor");
  return envelope("BOOKING_CANCELLED", o, {
    ...withoutMetadata(bookingPayload("CANCELLED", o)),
    cancellationReason: reason,
    ...(o.legacyRequestReschedule ? {} : { requestReschedule: o.requestReschedule ?? false }),
  });
};

export const makeBookingRejected = (o: BodyOptions = {}) =>
  envelope("BOOKING_REJECTED", o, {
    ...withoutMetadata(bookingPayload("REJECTED", o)),
    rejectionReason: o.reason ?? "Outside our service area",
  });

/** A paid event type: the BOOKING_CREATED body plus a paymentId, the only paid-flow event with our token. */
export const makePaymentInitiated = (o: BodyOptions = {}) =>
  envelope("BOOKING_PAYMENT_INITIATED", o, {
    ...bookingPayload("ACCEPTED", o),
    paymentId: 900 + (randomBytes(1)[0] % 99),
  });

/** Sent after the payment: its metadata is the payment's, never ours. */
export const makeBookingPaid = (o: BodyOptions & { uid: string }) => {
  const payload = bookingPayload("ACCEPTED", o);
  return envelope("BOOKING_PAID", o, {
    ...payload,
    paymentId: 901,
    metadata: {
      identifier: "cal.com",
      bookingId: payload.bookingId,
      eventTypeId: 7731,
      bookerEmail: payload.attendees[0].email,
    },
  });
};

export const makeNoShowUpdated = (o: BodyOptions & { uid: string }) => {
  const email = (o.attendee ?? { email: "priya@client.example" }).email;
  return envelope("BOOKING_NO_SHOW_UPDATED", o, {
    message: `${email} marked as ${o.noShow === false ? "present" : "no-show"}`,
    attendees: [{ email, noShow: o.noShow ?? true }],
    bookingUid: o.uid,
    bookingId: 48177,
  });
};

/**
 * Flat body: no payload wrapper, and createdAt is the booking's creation time. `narrow` is the row sent after
 * a confirmation or a payment: no createdAt, status or fromReschedule.
 */
export const makeMeetingEnded = (o: BodyOptions & { uid: string; narrow?: boolean }): CalBody => {
  const { metadata, attendees, startTime, endTime, title } = bookingPayload("ACCEPTED", o);
  if (o.narrow)
    return {
      triggerEvent: "MEETING_ENDED",
      id: 48150,
      uid: o.uid,
      startTime,
      endTime,
      metadata,
      attendees,
      location: "integrations:daily",
    };
  return {
    triggerEvent: "MEETING_ENDED",
    uid: o.uid,
    createdAt: o.createdAt ?? new Date(Date.now() - 86_400_000).toISOString(),
    startTime,
    endTime,
    title,
    status: "ACCEPTED",
    fromReschedule: o.rescheduleUid ?? null,
    metadata,
    attendees,
  };
};

export const makePing = (): CalBody => ({
  triggerEvent: "PING",
  createdAt: new Date().toISOString(),
  payload: { type: "Test", title: "Test trigger event", description: "" },
});
