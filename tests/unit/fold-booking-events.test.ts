import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CalEvent } from "@/lib/cal/event";
import { parseCalBody } from "@/lib/cal/parse-cal-body";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
} from "@/lib/cal/payload-factories";
import { foldBookingEvents } from "@/lib/reconcile/fold-booking-events";
import { planLeadUpdate } from "@/lib/reconcile/plan-lead-update";

const EMAIL = "priya@client.example";
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();

function event(body: object): CalEvent {
  const parsed = parseCalBody(body);
  if (parsed.kind !== "event") throw new Error("not an event");
  return parsed.event;
}

const A = "bookingAAAAAAAAAAAAAAAA";
const B = "bookingBBBBBBBBBBBBBBBB";
const C = "bookingCCCCCCCCCCCCCCCC";

describe("foldBookingEvents", () => {
  it("a lead with no events is new", () => {
    expect(foldBookingEvents([], EMAIL).stage).toBe("new");
  });

  it("request then confirm: pending, then booked", () => {
    const requested = event(makeBookingRequested({ uid: A, createdAt: at(0) }));
    const created = event(makeBookingCreated({ uid: A, createdAt: at(5) }));
    expect(foldBookingEvents([requested], EMAIL)).toMatchObject({ stage: "booking_requested", booking_status: "pending" });
    expect(foldBookingEvents([requested, created], EMAIL)).toMatchObject({ stage: "call_booked", booking_status: "accepted" });
  });

  it("a reschedule moves the lead to the new uid and times and keeps the old uid", () => {
    const created = event(makeBookingCreated({ uid: A, createdAt: at(0), startTime: "2026-03-05T15:00:00.000Z" }));
    const moved = event(
      makeBookingRescheduled({ uid: B, rescheduleUid: A, createdAt: at(10), startTime: "2026-03-09T14:00:00.000Z" }),
    );
    expect(foldBookingEvents([created, moved], EMAIL)).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: B,
      previous_booking_uids: [A],
      booking_start: "2026-03-09T14:00:00.000Z",
    });
  });

  it("tells a host's reschedule request from a plain cancellation", () => {
    const created = event(makeBookingCreated({ uid: A, createdAt: at(0) }));
    const asked = event(makeBookingCancelled({ uid: A, createdAt: at(3), requestReschedule: true, reason: "Travelling" }));
    const cancelled = event(makeBookingCancelled({ uid: A, createdAt: at(3), reason: "Chose another vendor" }));
    expect(foldBookingEvents([created, asked], EMAIL)).toMatchObject({
      stage: "call_cancelled",
      booking_status: "reschedule_requested",
      booking_status_reason: "Travelling",
    });
    expect(foldBookingEvents([created, cancelled], EMAIL)).toMatchObject({ stage: "call_cancelled", booking_status: "cancelled" });
  });

  it("no-show flips last-write-wins; meeting ended completes the call", () => {
    const created = event(makeBookingCreated({ uid: A, createdAt: at(0) }));
    const ended = event(makeMeetingEnded({ uid: A, createdAt: at(0) }));
    const noShow = event(makeNoShowUpdated({ uid: A, createdAt: at(40), noShow: true }));
    const present = event(makeNoShowUpdated({ uid: A, createdAt: at(45), noShow: false }));
    expect(foldBookingEvents([created, ended], EMAIL).stage).toBe("call_completed");
    expect(foldBookingEvents([created, ended, noShow], EMAIL).stage).toBe("no_show");
    expect(foldBookingEvents([present, created, noShow, ended], EMAIL)).toMatchObject({
      stage: "call_completed",
      attendee_no_show: false,
    });
  });

  it("a meeting that ended on a replaced booking does not override the current one", () => {
    const created = event(makeBookingCreated({ uid: A, createdAt: at(0) }));
    const moved = event(makeBookingRescheduled({ uid: B, rescheduleUid: A, createdAt: at(10) }));
    const endedOld = event(makeMeetingEnded({ uid: A, createdAt: at(0) }));
    expect(foldBookingEvents([created, moved, endedOld], EMAIL)).toMatchObject({ stage: "call_booked", cal_booking_uid: B });
  });

  it("planner: an older CREATED after a CANCELLED is stale; the same change twice is a duplicate", () => {
    const created = event(makeBookingCreated({ uid: A, createdAt: at(0) }));
    const cancelled = event(makeBookingCancelled({ uid: A, createdAt: at(5) }));
    const lead = { email: EMAIL, ...foldBookingEvents([cancelled], EMAIL) };
    expect(planLeadUpdate(lead, [cancelled], [created]).outcome).toBe("stale");
    const secondSubscription = { ...cancelled, createdAt: at(6) };
    expect(planLeadUpdate(lead, [cancelled], [secondSubscription]).outcome).toBe("duplicate");
  });

  it("property: any order of any multiset of a booking chain's events folds to the same lead", () => {
    const chain = [
      event(makeBookingRequested({ uid: A, createdAt: at(0) })),
      event(makeBookingCreated({ uid: A, createdAt: at(1) })),
      event(makeBookingRescheduled({ uid: B, rescheduleUid: A, createdAt: at(2) })),
      event(makeNoShowUpdated({ uid: B, createdAt: at(3), noShow: true })),
      event(makeNoShowUpdated({ uid: B, createdAt: at(4), noShow: false })),
      event(makeBookingRescheduled({ uid: C, rescheduleUid: B, createdAt: at(5) })),
      event(makeBookingCancelled({ uid: C, createdAt: at(6) })),
      event(makeMeetingEnded({ uid: B, createdAt: at(2) })),
    ];
    fc.assert(
      fc.property(
        fc.subarray(chain, { minLength: 1 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer(),
        (subset, duplicates, seed) => {
          const withDuplicates = [...subset, ...duplicates.map((i) => subset[i % subset.length])];
          const shuffled = fc.sample(fc.shuffledSubarray(withDuplicates, { minLength: withDuplicates.length }), {
            seed,
            numRuns: 1,
          })[0];
          expect(foldBookingEvents(shuffled, EMAIL)).toEqual(foldBookingEvents(subset, EMAIL));
        },
      ),
      { numRuns: 500 },
    );
  });
});
