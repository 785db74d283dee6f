import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CalEvent } from "@/lib/cal/event";
import { parseCalBody } from "@/lib/cal/parse-cal-body";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRejected,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
} from "@/lib/cal/payload-factories";
import { STAGES } from "@/lib/reconcile/booking-fields";
import { planLeadUpdate } from "@/lib/reconcile/plan-lead-update";

const EMAIL = "fuzz@client.example";
const UIDS = ["uidA", "uidB", "uidC", "uidD"];
const STATUSES = [null, "pending", "accepted", "cancelled", "reschedule_requested", "rejected"];

/** Any booking event Cal.com could send about a small set of bookings, at any time, in any shape the factories make. */
const anyEvent: fc.Arbitrary<CalEvent> = fc
  .record({
    kind: fc.constantFrom("requested", "created", "rescheduled", "cancelled", "rejected", "no_show", "ended"),
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
    const common = { uid: r.uid, createdAt, startTime, endTime, attendee: { name: "Fuzz", email: EMAIL }, reason: r.reason };
    const body = {
      requested: () => makeBookingRequested(common),
      created: () => makeBookingCreated(common),
      rescheduled: () => makeBookingRescheduled({ ...common, rescheduleUid: r.previous }),
      cancelled: () => makeBookingCancelled({ ...common, requestReschedule: r.requestReschedule }),
      rejected: () => makeBookingRejected(common),
      no_show: () => makeNoShowUpdated({ ...common, noShow: r.noShow }),
      ended: () => makeMeetingEnded(common),
    }[r.kind]();
    const parsed = parseCalBody(body);
    if (parsed.kind !== "event") throw new Error(`factory body did not parse: ${r.kind}`);
    return parsed.event;
  });

const NEW_LEAD = { email: EMAIL, stage: "new", previous_booking_uids: [], meeting_ended: false };

describe("the planner under fuzzing (fast-check)", () => {
  it("never throws, always plans a valid lead, applies an event at most once, and ignores order", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 8 }), fc.array(anyEvent, { minLength: 1, maxLength: 3 }), (history, incoming) => {
        const plan = planLeadUpdate(NEW_LEAD, history, incoming);
        const after = plan.outcome === "applied" ? plan.after : plan.before;
        expect(STAGES).toContain(after.stage);
        expect(STATUSES).toContain(after.booking_status);
        if (after.booking_start && after.booking_end) expect(Date.parse(after.booking_end)).toBeGreaterThanOrEqual(Date.parse(after.booking_start));

        // The lead as the webhook would leave it, then the same events again: nothing more to apply.
        const applied = { ...NEW_LEAD, ...after };
        expect(planLeadUpdate(applied, [...history, ...incoming], incoming).outcome).not.toBe("applied");
        expect(planLeadUpdate(applied, [...history, ...incoming], history.length > 0 ? [history[0]] : incoming).outcome).not.toBe("applied");

        // The same set in another order plans the same lead.
        const reversed = planLeadUpdate(NEW_LEAD, [...incoming].reverse(), [...history].reverse());
        const reversedAfter = reversed.outcome === "applied" ? reversed.after : reversed.before;
        expect(reversedAfter).toEqual(after);
      }),
      { numRuns: 1000 },
    );
  });
});
