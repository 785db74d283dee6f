import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CalBody,
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeBookingPaid,
  makeNoShowUpdated,
  makePaymentInitiated,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import type { LeadState } from "@/lib/reconcile/booking-fields";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver } from "../support/webhook-harness";

const t = databaseForThisFile();

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();

/**
 * A lead's life with two bookings: the first booked, moved twice (through Cal.com's link, without our token),
 * no-show toggled, cancelled; the second a paid booking whose CREATED and PAID carry no token.
 */
function bookingLife(token: string) {
  const [a, b, c, d] = [newBookingUid(), newBookingUid(), newBookingUid(), newBookingUid()];
  const bodies: CalBody[] = [
    makeBookingCreated({ uid: a, submissionToken: token, createdAt: at(0) }),
    makeBookingRescheduled({
      uid: b,
      rescheduleUid: a,
      createdAt: at(10),
      startTime: "2026-03-09T14:00:00.000Z",
    }),
    makeNoShowUpdated({ uid: b, createdAt: at(20), noShow: true }),
    makeNoShowUpdated({ uid: b, createdAt: at(21), noShow: false }),
    makeMeetingEnded({ uid: b, submissionToken: token, createdAt: at(10) }),
    makeBookingRescheduled({
      uid: c,
      rescheduleUid: b,
      createdAt: at(30),
      startTime: "2026-03-11T16:00:00.000Z",
    }),
    makeBookingCancelled({ uid: c, createdAt: at(40), startTime: "2026-03-11T16:00:00.000Z" }),
    makePaymentInitiated({
      uid: d,
      submissionToken: token,
      createdAt: at(50),
      startTime: "2026-03-20T10:00:00.000Z",
    }),
    makeBookingCreated({ uid: d, createdAt: at(52), startTime: "2026-03-20T10:00:00.000Z" }),
    makeBookingPaid({ uid: d, createdAt: at(53), startTime: "2026-03-20T10:00:00.000Z" }),
  ];
  return { uids: [a, b, c, d], bodies };
}

/**
 * The lead's state (its fields and every booking) with its uids renamed to their place, so two leads compare.
 */
async function normalisedState(leadId: string, uids: string[]) {
  const [{ state, submission }] = await t.db.sql<{ state: LeadState; submission: string }>`
    select public.stored_lead_state(${leadId}::uuid) as state, submission_id as submission from public.leads where id = ${leadId}`;
  const renamed: LeadState = JSON.parse(
    uids
      .reduce((text, uid, i) => text.replaceAll(uid, `uid${i}`), JSON.stringify(state))
      .replaceAll(submission, "own-submission"),
  );
  const bookings = renamed.bookings.map((b) => ({ ...b, uids: [...b.uids].sort() }));
  return { ...renamed, bookings: bookings.sort((x, y) => x.current_uid.localeCompare(y.current_uid)) };
}

async function openFailures(uids: string[]) {
  const [{ n }] = await t.db.sql<{ n: number }>`
    select count(*)::int as n from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where f.status = 'open' and e.booking_uid = any(${uids}::text[])`;
  return n;
}

describe(`arrival order does not matter (${process.env.TEST_DB})`, () => {
  it("property: shuffled, duplicated and concurrent deliveries end in the in-order lead state", async () => {
    const inOrderLead = await createTestLead(t.db);
    const inOrder = bookingLife(inOrderLead.token);
    for (const body of inOrder.bodies) await deliver(t.db, body);
    const expected = await normalisedState(inOrderLead.id, inOrder.uids);
    expect(expected.lead).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: "uid3",
      booking_start: "2026-03-20T10:00:00.000Z",
    });
    expect(
      expected.bookings.map((b: { current_uid: string; state: string }) => [b.current_uid, b.state]).sort(),
    ).toEqual([
      ["uid2", "closed"],
      ["uid3", "live"],
    ]);

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(9), { maxLength: 5 }),
        fc.array(fc.nat(9), { maxLength: 3 }),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        async (exactRepeats, secondSubscription, seed, batchSize) => {
          const lead = await createTestLead(t.db);
          const life = bookingLife(lead.token);
          const deliveries = [
            ...life.bodies,
            ...exactRepeats.map((i) => life.bodies[i]),
            ...secondSubscription
              .filter((i) => life.bodies[i].triggerEvent !== "MEETING_ENDED")
              .map((i) => ({
                ...life.bodies[i],
                createdAt: new Date(Date.parse(String(life.bodies[i].createdAt)) + 7).toISOString(),
              })),
          ];
          const order = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), {
            seed,
            numRuns: 1,
          })[0];
          for (let i = 0; i < order.length; i += batchSize) {
            const batch = order.slice(i, i + batchSize);
            const results = await Promise.all(batch.map((body) => deliver(t.db, body)));
            expect(results.every((r) => ["applied", "duplicate", "stale", "queued"].includes(r))).toBe(true);
          }
          expect(await normalisedState(lead.id, life.uids)).toEqual(expected);
          expect(await openFailures(life.uids)).toBe(0);
        },
      ),
      { numRuns: t.backend === "postgres" ? 30 : 12 },
    );
  });
});
