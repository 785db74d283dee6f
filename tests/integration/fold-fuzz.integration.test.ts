import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CalEvent } from "@/lib/cal/event";
import { parseCalBody } from "@/lib/cal/parse-cal-body";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingPaid,
  makeBookingRejected,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
  makePaymentInitiated,
} from "@/lib/cal/payload-factories";
import { BOOKING_STATES, BOOKING_STATUSES, type LeadState, STAGES } from "@/lib/reconcile/booking-fields";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();

const EMAIL = "fuzz@client.example";
const UIDS = ["uidA", "uidB", "uidC", "uidD"];

/**
 * Any lead event Cal.com could send about a small set of bookings, at any time, in any shape the factories
 * make.
 */
const anyEvent: fc.Arbitrary<CalEvent> = fc
  .record({
    kind: fc.constantFrom(
      "requested",
      "payment",
      "created",
      "paid",
      "rescheduled",
      "cancelled",
      "rejected",
      "no_show",
      "ended",
      "ended_narrow",
    ),
    uid: fc.constantFrom(...UIDS),
    previous: fc.constantFrom(...UIDS),
    minute: fc.integer({ min: 0, max: 10_000 }),
    startOffset: fc.integer({ min: -48, max: 2_000 }),
    requestReschedule: fc.boolean(),
    noShow: fc.boolean(),
    reason: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  })
  .map((r) => {
    const createdAt = new Date(Date.UTC(2026, 2, 1) + r.minute * 60_000).toISOString();
    const startTime = new Date(Date.UTC(2026, 2, 10) + r.startOffset * 3_600_000).toISOString();
    const endTime = new Date(Date.parse(startTime) + 1_800_000).toISOString();
    const common = {
      uid: r.uid,
      createdAt,
      startTime,
      endTime,
      attendee: { name: "Fuzz", email: EMAIL },
      reason: r.reason,
    };
    const body = {
      requested: () => makeBookingRequested(common),
      payment: () => makePaymentInitiated(common),
      created: () => makeBookingCreated(common),
      paid: () => makeBookingPaid(common),
      rescheduled: () => makeBookingRescheduled({ ...common, rescheduleUid: r.previous }),
      cancelled: () => makeBookingCancelled({ ...common, requestReschedule: r.requestReschedule }),
      rejected: () => makeBookingRejected(common),
      no_show: () => makeNoShowUpdated({ ...common, noShow: r.noShow }),
      ended: () => makeMeetingEnded(common),
      ended_narrow: () => makeMeetingEnded({ ...common, narrow: true }),
    }[r.kind]();
    const parsed = parseCalBody(body);
    if (parsed.kind !== "event") throw new Error(`factory body did not parse: ${r.kind}`);
    return parsed.event;
  });

async function fold(events: CalEvent[]): Promise<LeadState> {
  const [{ state }] = await t.db.sql<{
    state: LeadState;
  }>`select public.fold_lead_bookings(${events}::jsonb, ${EMAIL}) as state`;
  return state;
}

describe(`the fold under fuzzing (fast-check, ${process.env.TEST_DB})`, () => {
  it("always derives a valid lead, ignores order and repeats, and puts every uid in exactly one booking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyEvent, { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.nat(),
        async (events, repeats, seed) => {
          const state = await fold(events);
          expect(STAGES).toContain(state.lead.stage);
          if (state.lead.booking_status !== null)
            expect(BOOKING_STATUSES).toContain(state.lead.booking_status);
          for (const booking of state.bookings) {
            expect(BOOKING_STATUSES).toContain(booking.status);
            expect(BOOKING_STATES).toContain(booking.state);
            expect(booking.uids).toContain(booking.current_uid);
          }
          const held = state.bookings.flatMap((b) => b.uids).sort();
          const named = [
            ...new Set(
              events.flatMap((e) => [
                e.bookingUid,
                ...(e.rescheduleUid && e.rescheduleUid !== e.bookingUid ? [e.rescheduleUid] : []),
              ]),
            ),
          ].sort();
          expect(held).toEqual(named);
          expect(state.lead.stage === "new").toBe(events.length === 0);
          if (state.lead.cal_booking_uid)
            expect(state.bookings.map((b) => b.current_uid)).toContain(state.lead.cal_booking_uid);

          const withRepeats =
            events.length > 0 ? [...events, ...repeats.map((i) => events[i % events.length])] : events;
          const shuffled = fc.sample(fc.shuffledSubarray(withRepeats, { minLength: withRepeats.length }), {
            seed,
            numRuns: 1,
          })[0];
          expect(await fold(shuffled)).toEqual(state);
        },
      ),
      { numRuns: t.backend === "postgres" ? 400 : 250 },
    );
  });
});
