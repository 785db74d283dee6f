import { z } from "zod";
import { type CalEvent, isLeadTrigger } from "./event";

/** A body as parsing left it: a lead event, a trigger we ignore, or something we cannot read. */
export type ParsedCalBody =
  | { kind: "event"; event: CalEvent }
  | { kind: "ignored"; trigger: string }
  | { kind: "unsupported"; trigger: string | null; problem: string };

const NO_NUL = /^[^\u0000]*$/;
const text = (max: number) => z.string().max(max).regex(NO_NUL, "must not contain NUL characters");
const uid = text(200).min(1);
const timestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/,
    "must be an ISO 8601 time",
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be a valid time")
  .transform((value) => new Date(value).toISOString());
const optionalTimestamp = timestamp.nullish().catch(null);
const optionalText = (max: number) => text(max).nullish().catch(null);

const attendee = z.object({ name: optionalText(500), email: optionalText(500), timeZone: optionalText(100) });
const metadata = z.record(z.string(), z.unknown()).nullish().catch(null);
const webUrl = z.url({ protocol: /^https?$/ }).max(2000);
const optionalWebUrl = webUrl.nullish().catch(null);

const bookingPayload = z.object({
  uid,
  rescheduleUid: uid.nullish(),
  startTime: optionalTimestamp,
  endTime: optionalTimestamp,
  title: optionalText(1000),
  cancellationReason: optionalText(5000),
  rejectionReason: optionalText(5000),
  requestReschedule: z.boolean().nullish().catch(null),
  attendees: z.array(attendee).max(1000).nullish().catch(null),
  location: optionalText(2000),
  videoCallData: z.object({ url: optionalWebUrl }).nullish().catch(null),
  metadata,
});

const noShowPayload = z.object({
  bookingUid: uid,
  attendees: z.array(z.object({ email: text(500), noShow: z.boolean() })).max(1000),
});

// After a confirmation or a payment the flat body is a narrower row: no createdAt, status or fromReschedule.
const meetingBody = bookingPayload.omit({ rescheduleUid: true }).extend({
  fromReschedule: uid.nullish().catch(null),
  createdAt: optionalTimestamp,
});

const EPOCH = "1970-01-01T00:00:00.000Z";
// Older Cal.com sends no requestReschedule flag for a host's request; this reason prefix is its only sign.
const LEGACY_RESCHEDULE_REQUEST = /^\s*please reschedule\./i;

const envelope = z.object({ triggerEvent: text(100).min(1), createdAt: timestamp, payload: z.unknown() });

function tokenFrom(meta: Record<string, unknown> | null | undefined): string | null {
  const value = meta?.submissionId;
  if (value === undefined || value === null) return null;
  // A non-string value still came from somewhere: keep it so it fails verification and gets queued.
  return typeof value === "string" ? value.slice(0, 1000) : JSON.stringify(value).slice(0, 1000);
}

function joinUrlOf(payload: z.infer<typeof bookingPayload>): string | null {
  const fromMetadata = webUrl.safeParse(payload.metadata?.videoCallUrl);
  if (fromMetadata.success) return fromMetadata.data;
  if (payload.videoCallData?.url) return payload.videoCallData.url;
  const location = webUrl.safeParse(payload.location);
  return location.success ? location.data : null;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}

function baseEvent(trigger: CalEvent["trigger"], createdAt: string, payload: z.infer<typeof bookingPayload>) {
  const first = payload.attendees?.[0];
  return {
    trigger,
    createdAt,
    bookingUid: payload.uid,
    rescheduleUid: payload.rescheduleUid ?? null,
    submissionToken: tokenFrom(payload.metadata),
    startTime: payload.startTime ?? null,
    endTime: payload.endTime ?? null,
    reason: payload.cancellationReason ?? payload.rejectionReason ?? null,
    requestReschedule:
      payload.requestReschedule === true ||
      (trigger === "BOOKING_CANCELLED" && LEGACY_RESCHEDULE_REQUEST.test(payload.cancellationReason ?? "")),
    noShowAttendees: [],
    attendeeName: first?.name ?? null,
    attendeeEmail: first?.email ?? null,
    attendeeTimeZone: first?.timeZone ?? null,
    title: payload.title ?? null,
    joinUrl: joinUrlOf(payload),
    location: payload.location ?? null,
  } satisfies CalEvent;
}

/**
 * Turns a verified body into a CalEvent. Unknown fields are ignored and everything but the identity
 * fields is optional, as Cal.com's payloads vary by version and delivery path.
 */
export function parseCalBody(json: unknown): ParsedCalBody {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { kind: "unsupported", trigger: null, problem: "body is not a JSON object" };
  }
  const rawTrigger = (json as { triggerEvent?: unknown }).triggerEvent;
  if (typeof rawTrigger !== "string" || rawTrigger.length === 0 || rawTrigger.length > 100) {
    return { kind: "unsupported", trigger: null, problem: "triggerEvent is missing or not a short string" };
  }
  if (!isLeadTrigger(rawTrigger)) return { kind: "ignored", trigger: rawTrigger };

  if (rawTrigger === "MEETING_ENDED") {
    const flat = meetingBody.safeParse(json);
    if (!flat.success) return { kind: "unsupported", trigger: rawTrigger, problem: describe(flat.error) };
    const { fromReschedule, createdAt, ...payload } = flat.data;
    const when = createdAt ?? payload.endTime ?? payload.startTime ?? EPOCH;
    return {
      kind: "event",
      event: { ...baseEvent(rawTrigger, when, payload), rescheduleUid: fromReschedule ?? null },
    };
  }

  const outer = envelope.safeParse(json);
  if (!outer.success) return { kind: "unsupported", trigger: rawTrigger, problem: describe(outer.error) };
  const { createdAt, payload } = outer.data;

  if (rawTrigger === "BOOKING_NO_SHOW_UPDATED") {
    const noShow = noShowPayload.safeParse(payload);
    if (!noShow.success) return { kind: "unsupported", trigger: rawTrigger, problem: describe(noShow.error) };
    const event = baseEvent(rawTrigger, createdAt, { uid: noShow.data.bookingUid });
    return { kind: "event", event: { ...event, noShowAttendees: noShow.data.attendees } };
  }

  const booking = bookingPayload.safeParse(payload);
  if (!booking.success) return { kind: "unsupported", trigger: rawTrigger, problem: describe(booking.error) };
  return { kind: "event", event: baseEvent(rawTrigger, createdAt, booking.data) };
}
