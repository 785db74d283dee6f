import { describe, expect, it } from "vitest";
import { makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import { listFailures } from "@/lib/failure-queue/list-failures";
import { openNeighbours } from "@/lib/failure-queue/open-neighbours";
import { parseQueueParams } from "@/lib/failure-queue/queue-params";
import { FAILURE_QUEUE_CHANNEL } from "@/lib/failure-queue/queue-arrivals";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver, leadRow } from "../support/webhook-harness";

const t = databaseForThisFile();

const waitFor = async (condition: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
};

async function failureIdOf(tag: string): Promise<string> {
  const [row] = await t.db.sql<{ id: string }>`
    select f.id from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where e.queue_search like ${`%${tag}%`}`;
  return row.id;
}

describe(`what reaches the queue on ${process.env.TEST_DB}`, () => {
  it("lists an unverified delivery by what it claims and finds it by those claims, which matching never reads", async () => {
    const lead = await createTestLead(t.db, { name: "Claire Claim", email: "claire@claims.example" });
    const uid = newBookingUid();
    const forged = makeBookingCreated({
      uid,
      submissionToken: lead.token,
      attendee: { name: "Claire Claim", email: "claire@claims.example" },
    });
    expect(await deliver(t.db, forged, { secret: "whsec_not_the_right_secret_0123456789" })).toBe(
      "unverified",
    );

    const [stored] = await t.db.sql<{
      booking_uid: string | null;
      submission_token: string | null;
      attendee_email: string | null;
    }>`
      select booking_uid, submission_token, attendee_email from public.webhook_events where claimed ->> 'bookingUid' = ${uid}`;
    expect(stored).toEqual({ booking_uid: null, submission_token: null, attendee_email: null });
    expect((await leadRow(t.db, lead.id)).stage).toBe("new");

    for (const q of ["claire@claims", uid.slice(2, 12), "Claire Claim"]) {
      const page = await listFailures(t.db.sql, parseQueueParams({ q }));
      expect(page.rows).toHaveLength(1);
      expect(page.rows[0]).toMatchObject({
        reason: "unverified",
        claimed: true,
        trigger: "BOOKING_CREATED",
        bookingUid: uid,
        attendeeEmail: "claire@claims.example",
        attendeeName: "Claire Claim",
      });
    }
    const byTrigger = await listFailures(
      t.db.sql,
      parseQueueParams({ trigger: "BOOKING_CREATED", reason: "unverified" }),
    );
    expect(byTrigger.rows.map((row) => row.bookingUid)).toContain(uid);

    // The real, signed event for the same booking applies, and the unsigned claim stays in the queue
    // untouched.
    expect(await deliver(t.db, makeBookingCreated({ uid, submissionToken: lead.token }))).toBe("applied");
    expect((await leadRow(t.db, lead.id)).stage).toBe("call_booked");
    const [claim] = await t.db.sql<{ status: string }>`
      select f.status from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
      where e.claimed ->> 'bookingUid' = ${uid}`;
    expect(claim.status).toBe("open");
  });

  it("an unverified body that is not a booking event has no claims and still lists", async () => {
    expect(await deliver(t.db, "not json at all", { signature: null })).toBe("unverified");
    const [row] = await t.db.sql<{
      claimed: unknown;
    }>`select claimed from public.webhook_events where raw_body = 'not json at all'`;
    expect(row.claimed).toBeNull();
  });

  it("NOTIFYs the console once a delivery is queued, and not for one that applies", async () => {
    let heard = 0;
    const stop = await t.db.listen(FAILURE_QUEUE_CHANNEL, () => (heard += 1));
    try {
      const lead = await createTestLead(t.db);
      expect(
        await deliver(t.db, makeBookingCreated({ uid: newBookingUid(), submissionToken: lead.token })),
      ).toBe("applied");
      expect(await waitFor(() => heard > 0, 500)).toBe(false);

      expect(await deliver(t.db, makeBookingCreated({ uid: newBookingUid(), submissionToken: null }))).toBe(
        "queued",
      );
      expect(await waitFor(() => heard > 0, 5000)).toBe(true);
      expect(heard).toBe(1);
    } finally {
      await stop();
    }
  });

  it("walks the open items newest first: next is the older one, previous the newer, and past the end the newest", async () => {
    const tags = ["walk-a", "walk-b", "walk-c"];
    for (const tag of tags) {
      await deliver(
        t.db,
        makeBookingCreated({
          uid: newBookingUid(),
          submissionToken: null,
          attendee: { name: tag, email: `${tag}@x.example` },
        }),
      );
      // Distinct arrival times, so the order is the one written here.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [a, b, c] = await Promise.all(tags.map(failureIdOf));
    await t.db
      .sql`update public.webhook_failures set status = 'discarded' where status = 'open' and id <> all(${[a, b, c]}::uuid[])`;

    expect(await openNeighbours(t.db.sql, b)).toEqual({ next: a, previous: c });
    expect(await openNeighbours(t.db.sql, c)).toEqual({ next: b, previous: null });
    expect(await openNeighbours(t.db.sql, a)).toEqual({ next: c, previous: b });
    // Decided, an item still knows its place: deciding "& next" goes on from there.
    await t.db.sql`update public.webhook_failures set status = 'resolved' where id = ${b}`;
    expect(await openNeighbours(t.db.sql, b)).toEqual({ next: a, previous: c });
  });

  it("says where a page starts, forward and back", async () => {
    for (let index = 0; index < 30; index += 1) {
      await deliver(t.db, makeBookingCreated({ uid: newBookingUid(), submissionToken: null }));
    }
    const params = parseQueueParams({ status: "all", size: "25" });
    const page1 = await listFailures(t.db.sql, params);
    expect(page1.offset).toBe(0);
    expect(page1.total).toBeGreaterThan(30);
    const page2 = await listFailures(t.db.sql, { ...params, after: page1.nextCursor ?? undefined });
    expect(page2.offset).toBe(25);
    expect(page2.rows).toHaveLength(Math.min(25, page1.total - 25));
    const back = await listFailures(t.db.sql, { ...params, before: page2.previousCursor ?? undefined });
    expect(back.offset).toBe(0);
    expect(back.rows.map((row) => row.id)).toEqual(page1.rows.map((row) => row.id));
  });
});
