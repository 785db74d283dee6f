import { describe, expect, it } from "vitest";
import { eventIdempotencyKey } from "@/lib/cal/event-identity";
import { parseCalBody } from "@/lib/cal/parse-cal-body";
import { loadFixture } from "../support/webhook-harness";

function eventOf(body: unknown) {
  const parsed = parseCalBody(body);
  if (parsed.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

describe("parseCalBody on every example body in tests/fixtures/cal", () => {
  it.each([
    [1, "BOOKING_CREATED", "kq3Vb7nWc2XhT9pLm4RzaD", null, "sub_01HZY8Q4K7M2"],
    [2, "BOOKING_REQUESTED", "Pz8tLq2WvY6nB3kJc1MxsE", null, "sub_01HZY9B0T3QW"],
    [3, "BOOKING_CREATED", "Pz8tLq2WvY6nB3kJc1MxsE", null, null],
    [4, "BOOKING_REJECTED", "Hm5sQw9RtZ1cV7bNe4LkuA", null, null],
    [5, "BOOKING_RESCHEDULED", "Wb2nF6yHs8KdR3tLq9PvcM", "kq3Vb7nWc2XhT9pLm4RzaD", null],
    [6, "BOOKING_RESCHEDULED", "Ra7mC4xNp1GhJ8sWq5TdzB", "Wb2nF6yHs8KdR3tLq9PvcM", null],
    [7, "BOOKING_CANCELLED", "Ra7mC4xNp1GhJ8sWq5TdzB", null, null],
    [8, "BOOKING_CANCELLED", "Pz8tLq2WvY6nB3kJc1MxsE", null, null],
    [9, "MEETING_ENDED", "Wb2nF6yHs8KdR3tLq9PvcM", "kq3Vb7nWc2XhT9pLm4RzaD", "sub_01HZY8Q4K7M2"],
    [10, "BOOKING_NO_SHOW_UPDATED", "Wb2nF6yHs8KdR3tLq9PvcM", null, null],
    [12, "BOOKING_CREATED", "Ys3dK9pTf6MwQ2hVn8LbxC", null, null],
    [13, "BOOKING_PAYMENT_INITIATED", "Pd4xRv8KmN2qT6wLc9YbzH", null, "sub_01HZYA1P4Y9D"],
    [14, "BOOKING_CREATED", "Pd4xRv8KmN2qT6wLc9YbzH", null, null],
    [15, "BOOKING_PAID", "Pd4xRv8KmN2qT6wLc9YbzH", null, null],
    [16, "MEETING_ENDED", "Pd4xRv8KmN2qT6wLc9YbzH", null, null],
    [17, "BOOKING_CANCELLED", "Lg7cW2nQz5RtY8pKs3VmdF", null, null],
  ])("example %i is %s for %s", (number, trigger, uid, rescheduleUid, token) => {
    const event = eventOf(loadFixture(number));
    expect(event).toMatchObject({ trigger, bookingUid: uid, rescheduleUid, submissionToken: token });
  });

  it("normalises the three time spellings Cal.com uses to one ISO form", () => {
    expect(eventOf(loadFixture(1)).startTime).toBe("2026-03-05T15:00:00.000Z");
    expect(eventOf(loadFixture(4)).startTime).toBe("2026-03-07T09:00:00.000Z");
    expect(eventOf(loadFixture(7)).startTime).toBe("2026-03-11T16:00:00.000Z");
  });

  it("reads the cancellation details that tell a reschedule request from a cancellation", () => {
    expect(eventOf(loadFixture(7))).toMatchObject({
      requestReschedule: false,
      reason: "We chose another vendor",
    });
    expect(eventOf(loadFixture(8))).toMatchObject({ requestReschedule: true });
    // Older Cal.com: no flag, only the reason's prefix.
    expect(eventOf(loadFixture(17))).toMatchObject({
      requestReschedule: true,
      reason: "Please reschedule. The host is travelling that week",
    });
    expect(
      eventOf({
        ...loadFixture(7),
        payload: { ...loadFixture(7).payload, cancellationReason: "We will not reschedule." },
      }).requestReschedule,
    ).toBe(false);
    expect(eventOf(loadFixture(4)).reason).toBe("Outside our service area");
  });

  it("reads the narrow MEETING_ENDED sent after a confirmation or payment (no createdAt, status or fromReschedule)", () => {
    expect(eventOf(loadFixture(16))).toMatchObject({
      createdAt: "2026-03-05T15:30:00.000Z",
      startTime: "2026-03-05T15:00:00.000Z",
      rescheduleUid: null,
      attendeeEmail: "priya@client.example",
    });
    expect(eventIdempotencyKey(eventOf(loadFixture(16)))).toBe("MEETING_ENDED:Pd4xRv8KmN2qT6wLc9YbzH");
  });

  it("reads what the lead's own booking page shows: their time zone, the title and how to join", () => {
    expect(eventOf(loadFixture(1))).toMatchObject({
      attendeeTimeZone: "America/New_York",
      title: "Intro call between Dana Okafor and Priya Shah",
      joinUrl: "https://app.cal.com/video/kq3Vb7nWc2XhT9pLm4RzaD",
      location: "integrations:daily",
    });
    const inPerson = {
      ...loadFixture(12),
      payload: { ...loadFixture(12).payload, location: "Torstraße 1, Berlin" },
    };
    expect(eventOf(inPerson)).toMatchObject({ joinUrl: null, location: "Torstraße 1, Berlin" });
    const zoom = {
      ...loadFixture(12),
      payload: { ...loadFixture(12).payload, location: "https://zoom.us/j/123" },
    };
    expect(eventOf(zoom).joinUrl).toBe("https://zoom.us/j/123");
    const hostile = {
      ...loadFixture(12),
      payload: { ...loadFixture(12).payload, metadata: { videoCallUrl: "javascript:alert(1)" } },
    };
    expect(eventOf(hostile).joinUrl).toBeNull();
  });

  it("reads the no-show attendees from bookingUid-shaped payloads", () => {
    expect(eventOf(loadFixture(10)).noShowAttendees).toEqual([
      { email: "priya@client.example", noShow: true },
    ]);
  });

  it("ignores PING and triggers that never change a lead", () => {
    expect(parseCalBody(loadFixture(11))).toEqual({ kind: "ignored", trigger: "PING" });
    expect(parseCalBody({ triggerEvent: "RECORDING_READY", payload: {} })).toEqual({
      kind: "ignored",
      trigger: "RECORDING_READY",
    });
  });

  it("keys retries on trigger:uid:createdAt and MEETING_ENDED on its uid alone", () => {
    expect(eventIdempotencyKey(eventOf(loadFixture(1)))).toBe(
      "BOOKING_CREATED:kq3Vb7nWc2XhT9pLm4RzaD:2026-03-02T09:14:07.512Z",
    );
    expect(eventIdempotencyKey(eventOf(loadFixture(9)))).toBe("MEETING_ENDED:Wb2nF6yHs8KdR3tLq9PvcM");
  });

  it("ignores unknown fields, including __proto__ keys", () => {
    const body = JSON.parse(
      '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-03-02T09:14:07Z","__proto__":{"polluted":1},"payload":{"uid":"u1","__proto__":{"x":1},"extra":[1,2]}}',
    );
    expect(eventOf(body)).toMatchObject({ bookingUid: "u1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps a non-string submissionId so that it fails verification instead of vanishing", () => {
    const body = {
      triggerEvent: "BOOKING_CREATED",
      createdAt: "2026-03-02T09:14:07Z",
      payload: { uid: "u1", metadata: { submissionId: 42 } },
    };
    expect(eventOf(body).submissionToken).toBe("42");
  });

  it.each([
    ["not an object", [1, 2]],
    ["null", null],
    ["no triggerEvent", { createdAt: "2026-03-02T09:14:07Z", payload: { uid: "u" } }],
    [
      "non-string triggerEvent",
      { triggerEvent: 7, createdAt: "2026-03-02T09:14:07Z", payload: { uid: "u" } },
    ],
    [
      "booking without uid",
      { triggerEvent: "BOOKING_CREATED", createdAt: "2026-03-02T09:14:07Z", payload: {} },
    ],
    [
      "uid of the wrong type",
      { triggerEvent: "BOOKING_CREATED", createdAt: "2026-03-02T09:14:07Z", payload: { uid: 5 } },
    ],
    ["missing createdAt", { triggerEvent: "BOOKING_CREATED", payload: { uid: "u" } }],
    [
      "createdAt that is not a time",
      { triggerEvent: "BOOKING_CREATED", createdAt: "yesterday", payload: { uid: "u" } },
    ],
    [
      "uid with a NUL",
      { triggerEvent: "BOOKING_CREATED", createdAt: "2026-03-02T09:14:07Z", payload: { uid: "a\u0000b" } },
    ],
    [
      "huge uid",
      {
        triggerEvent: "BOOKING_CREATED",
        createdAt: "2026-03-02T09:14:07Z",
        payload: { uid: "u".repeat(5000) },
      },
    ],
    [
      "no-show without bookingUid",
      {
        triggerEvent: "BOOKING_NO_SHOW_UPDATED",
        createdAt: "2026-03-02T09:14:07Z",
        payload: { attendees: [] },
      },
    ],
    ["flat MEETING_ENDED without uid", { triggerEvent: "MEETING_ENDED", createdAt: "2026-03-02T09:14:07Z" }],
  ])("reports %s as unsupported, with a reason", (_label, body) => {
    const parsed = parseCalBody(body);
    expect(parsed.kind).toBe("unsupported");
    expect(parsed.kind === "unsupported" && parsed.problem.length).toBeGreaterThan(0);
  });
});
