import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CalBody,
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRescheduled,
  makeMeetingEnded,
  makeNoShowUpdated,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import { bookingFieldsOf } from "@/lib/reconcile/booking-fields";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver, leadRow } from "../support/webhook-harness";

const t = databaseForThisFile();

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();

/** A booking's life: booked, moved twice (the second time without our metadata), no-show toggled, cancelled. */
function bookingLife(token: string) {
  const [a, b, c] = [newBookingUid(), newBookingUid(), newBookingUid()];
  const bodies: CalBody[] = [
    makeBookingCreated({ uid: a, submissionToken: token, createdAt: at(0) }),
    makeBookingRescheduled({ uid: b, rescheduleUid: a, submissionToken: token, createdAt: at(10), startTime: "2026-03-09T14:00:00.000Z" }),
    makeNoShowUpdated({ uid: b, createdAt: at(20), noShow: true }),
    makeNoShowUpdated({ uid: b, createdAt: at(21), noShow: false }),
    makeMeetingEnded({ uid: b, submissionToken: token, createdAt: at(10) }),
    makeBookingRescheduled({ uid: c, rescheduleUid: b, createdAt: at(30), startTime: "2026-03-11T16:00:00.000Z" }),
    makeBookingCancelled({ uid: c, createdAt: at(40), startTime: "2026-03-11T16:00:00.000Z" }),
  ];
  return { uids: [a, b, c], bodies };
}

/** The lead's booking fields with its uids renamed to their place in the chain, so two leads compare. */
async function normalisedState(leadId: string, uids: string[]) {
  const fields = bookingFieldsOf(await leadRow(t.db, leadId));
  const renamed = JSON.parse(uids.reduce((text, uid, i) => text.replaceAll(uid, `uid${i}`), JSON.stringify(fields)));
  return { ...renamed, previous_booking_uids: renamed.previous_booking_uids.sort() };
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
    expect(expected).toMatchObject({ stage: "call_cancelled", cal_booking_uid: "uid2", booking_start: "2026-03-11T16:00:00.000Z" });

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(6), { maxLength: 5 }),
        fc.array(fc.nat(6), { maxLength: 3 }),
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
              .map((i) => ({ ...life.bodies[i], createdAt: new Date(Date.parse(String(life.bodies[i].createdAt)) + 7).toISOString() })),
          ];
          const order = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), { seed, numRuns: 1 })[0];
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
