import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackfill } from "@/lib/backfill/run-backfill";
import { type CalApiConfig, CalApiError } from "@/lib/cal-api/cal-api-client";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { API_KEY, fakeBooking, startFakeCalApi } from "../support/fake-cal-api";
import { databaseForThisFile } from "../support/test-database";
import { TEST_SUBMISSION_KEYS, createTestLead, deliver, leadRow } from "../support/webhook-harness";
import { unrecoveredWindows } from "@/lib/outage/refused-deliveries";

const t = databaseForThisFile();
let api: Awaited<ReturnType<typeof startFakeCalApi>>;
const waits: number[] = [];

beforeAll(async () => {
  api = await startFakeCalApi();
});
afterAll(() => api?.close());

const config = (): CalApiConfig => ({
  baseUrl: api.url,
  apiKey: API_KEY,
  sleep: async (ms) => {
    waits.push(ms);
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
  },
});
const SINCE = new Date("2026-11-20T00:00:00Z");
const backfill = () => runBackfill(t.db, config(), { since: SINCE, submissionKeys: TEST_SUBMISSION_KEYS });

describe(`backfill from Cal.com's API (a local stand-in for it), on ${process.env.TEST_DB}`, () => {
  it("applies a booking the webhook missed once, skips one it delivered, queues one with no lead, and is idempotent", async () => {
    const delivered = await createTestLead(t.db);
    const missed = await createTestLead(t.db);
    const deliveredBody = makeBookingCreated({ submissionToken: delivered.token });
    expect(await deliver(t.db, deliveredBody)).toBe("applied");
    const deliveredUid = (deliveredBody.payload as { uid: string }).uid;
    const before = await leadRow(t.db, delivered.id);

    api.bookings.push(
      fakeBooking({
        uid: deliveredUid,
        email: "d@client.example",
        metadata: { submissionId: delivered.token },
      }),
      fakeBooking({ email: "m@client.example", metadata: { submissionId: missed.token } }),
      fakeBooking({ email: "walk-in@elsewhere.example" }),
      fakeBooking({ email: "old@client.example", rescheduledToUid: "someNewerUid", status: "cancelled" }),
    );
    expect(await backfill()).toEqual({
      since: SINCE.toISOString(),
      fetched: 4,
      applied: 1,
      unchanged: 0,
      queued: 1,
      alreadyDelivered: 1,
      skipped: 1,
      refusedWindowsRecovered: 0,
    });
    expect(await leadRow(t.db, missed.id)).toMatchObject({
      stage: "call_booked",
      booking_start: new Date("2026-12-03T10:00:00Z"),
    });
    expect(await leadRow(t.db, delivered.id)).toEqual(before);
    const [audit] = await t.db
      .sql`select actor_id, action from public.audit_log where lead_id = ${missed.id}`;
    expect(audit).toEqual({ actor_id: "cal-backfill", action: "lead.updated_by_backfill" });
    const [source] = await t.db.sql`select source from public.webhook_events where lead_id = ${missed.id}`;
    expect(source.source).toBe("backfill");

    const [{ rows }] = await t.db.sql<{
      rows: number;
    }>`select count(*)::int as rows from public.webhook_events`;
    expect(await backfill()).toMatchObject({
      fetched: 4,
      applied: 0,
      queued: 0,
      alreadyDelivered: 3,
      skipped: 1,
    });
    expect(
      (await t.db.sql<{ rows: number }>`select count(*)::int as rows from public.webhook_events`)[0].rows,
    ).toBe(rows);
    expect(await t.db.sql`select action from public.audit_log where action = 'backfill.run'`).toHaveLength(2);
  });

  it("a later cancellation read from the API moves the lead; an older state never moves it back", async () => {
    const lead = await createTestLead(t.db);
    const body = makeBookingCreated({ submissionToken: lead.token, createdAt: "2026-11-24T10:00:00.000Z" });
    await deliver(t.db, body);
    const uid = (body.payload as { uid: string }).uid;
    api.bookings.push(
      fakeBooking({
        uid,
        status: "cancelled",
        updatedAt: "2026-11-25T12:00:00.000Z",
        email: "c@client.example",
        metadata: { submissionId: lead.token },
        cancellationReason: "no longer needed",
      }),
    );
    await backfill();
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_cancelled",
      booking_status_reason: "no longer needed",
    });
  });

  it("reads every page", async () => {
    api.bookings.splice(0);
    for (let n = 0; n < 230; n++) api.bookings.push(fakeBooking({ email: `page${n}@elsewhere.example` }));
    api.requests.splice(0);
    const report = await backfill();
    expect(report.fetched).toBe(230);
    expect(api.requests.filter((r) => !r.query.bookingUid).map((r) => r.query.skip)).toEqual([
      "0",
      "100",
      "200",
    ]);
  });

  it("reads from before deliveries refused while the database was away, and marks them recovered only when it completes", async () => {
    api.bookings.splice(0);
    const refusedAt = new Date(SINCE.getTime() - 5 * 86_400_000);
    await t.db
      .sql`insert into public.refused_delivery_windows (first_refused_at, last_refused_at, refused_count)
      values (${refusedAt.toISOString()}::timestamptz, ${new Date(refusedAt.getTime() + 60_000).toISOString()}::timestamptz, 3)`;
    const lead = await createTestLead(t.db);
    const refused = fakeBooking({
      email: "refused@client.example",
      metadata: { submissionId: lead.token },
      updatedAt: new Date(refusedAt.getTime() - 1000).toISOString(),
    });
    api.bookings.push(refused);

    api.faults.push({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await expect(backfill()).rejects.toThrow(/answered 500/);
    expect(await unrecoveredWindows(t.db.sql)).toMatchObject({ refused: 3, windows: 1 });

    api.requests.splice(0);
    const report = await backfill();
    expect(report).toMatchObject({
      since: new Date(refusedAt.getTime() - 10 * 60_000).toISOString(),
      applied: 1,
      refusedWindowsRecovered: 1,
    });
    expect(api.requests[0].query.afterUpdatedAt).toBe(report.since);
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked" });
    expect(await unrecoveredWindows(t.db.sql)).toBeNull();
    expect((await backfill()).since).toBe(SINCE.toISOString());
  });

  it("waits as long as a 429's Retry-After says, retries 5xx, and stops at once on 401", async () => {
    api.bookings.splice(0);
    api.faults.push({ status: 429, retryAfter: "3" }, { status: 503 });
    waits.splice(0);
    await backfill();
    expect(waits).toEqual([3000, 2000]);

    api.faults.push({ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 });
    await expect(backfill()).rejects.toThrow(/answered 504/);

    api.requests.splice(0);
    await expect(
      runBackfill(
        t.db,
        { ...config(), apiKey: "wrong" },
        { since: SINCE, submissionKeys: TEST_SUBMISSION_KEYS },
      ),
    ).rejects.toBeInstanceOf(CalApiError);
    expect(api.requests).toHaveLength(1);
  });
});
