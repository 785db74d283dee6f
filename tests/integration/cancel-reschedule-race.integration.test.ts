import { describe, expect, it } from "vitest";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRescheduled,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver, leadRow } from "../support/webhook-harness";

const t = databaseForThisFile();
const ROUNDS = 12;

describe(`a cancellation racing a reschedule for the same lead, on ${process.env.TEST_DB}`, () => {
  it("the booking rescheduled and then cancelled ends cancelled on its new uid, whichever delivery wins the race", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const lead = await createTestLead(t.db);
      const [oldUid, newUid] = [newBookingUid(), newBookingUid()];
      await deliver(
        t.db,
        makeBookingCreated({
          uid: oldUid,
          submissionToken: lead.token,
          createdAt: "2026-03-02T09:00:00.000Z",
        }),
      );
      // Through Cal.com's reschedule link the body has no token of ours; through a fresh /book booking it has
      // one.
      const reschedule = makeBookingRescheduled({
        uid: newUid,
        rescheduleUid: oldUid,
        submissionToken: round % 2 === 0 ? lead.token : null,
        createdAt: "2026-03-03T09:00:00.000Z",
        startTime: "2026-03-09T15:00:00.000Z",
        endTime: "2026-03-09T15:30:00.000Z",
      });
      const cancel = makeBookingCancelled({ uid: newUid, createdAt: "2026-03-04T09:00:00.000Z" });
      const racers = round % 3 === 0 ? [cancel, reschedule] : [reschedule, cancel];
      const outcomes = await Promise.all(racers.map((body) => deliver(t.db, body)));
      expect(outcomes.every((outcome) => ["applied", "stale", "queued"].includes(outcome))).toBe(true);
      expect(await leadRow(t.db, lead.id)).toMatchObject({
        stage: "call_cancelled",
        cal_booking_uid: newUid,
        booking_status: "cancelled",
      });
      const tied = await t.db.sql`select uid from public.booking_uids where lead_id = ${lead.id}`;
      expect(tied.map((row) => row.uid).sort()).toEqual([oldUid, newUid].sort());
      const open = await t.db
        .sql`select 1 from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
        where f.status = 'open' and e.booking_uid = ${newUid}`;
      expect(open).toHaveLength(0);
    }
  });

  it("a cancellation of the old booking that Cal.com sends with the reschedule does not undo it", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const lead = await createTestLead(t.db);
      const [oldUid, newUid] = [newBookingUid(), newBookingUid()];
      await deliver(
        t.db,
        makeBookingCreated({
          uid: oldUid,
          submissionToken: lead.token,
          createdAt: "2026-03-02T09:00:00.000Z",
        }),
      );
      const reschedule = makeBookingRescheduled({
        uid: newUid,
        rescheduleUid: oldUid,
        createdAt: "2026-03-03T09:00:00.000Z",
      });
      const oldCancelled = makeBookingCancelled({ uid: oldUid, createdAt: "2026-03-03T09:00:00.100Z" });
      const racers = round % 2 === 0 ? [oldCancelled, reschedule] : [reschedule, oldCancelled];
      await Promise.all(racers.map((body) => deliver(t.db, body)));
      expect(await leadRow(t.db, lead.id)).toMatchObject({
        stage: "call_booked",
        cal_booking_uid: newUid,
        booking_status: "accepted",
      });
    }
  });

  it("the reschedule, a cancel of its new uid and Cal.com's cancel of the old one, all at once, end cancelled on the new uid", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const lead = await createTestLead(t.db);
      const [oldUid, newUid] = [newBookingUid(), newBookingUid()];
      await deliver(
        t.db,
        makeBookingCreated({ uid: oldUid, submissionToken: lead.token, createdAt: "2026-03-01T08:00:00Z" }),
      );
      const moved = makeBookingRescheduled({
        uid: newUid,
        rescheduleUid: oldUid,
        createdAt: "2026-03-02T08:00:00Z",
      });
      const cancelNew = makeBookingCancelled({ uid: newUid, createdAt: "2026-03-03T08:00:00Z" });
      const cancelOld = makeBookingCancelled({ uid: oldUid, createdAt: "2026-03-01T09:00:00Z" });
      await Promise.all([deliver(t.db, cancelNew), deliver(t.db, moved), deliver(t.db, cancelOld)]);
      expect(await leadRow(t.db, lead.id)).toMatchObject({
        stage: "call_cancelled",
        cal_booking_uid: newUid,
      });
      const open = await t.db
        .sql`select 1 from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
        where f.status = 'open' and e.booking_uid = ${newUid}`;
      expect(open).toHaveLength(0);
    }
  });
});
