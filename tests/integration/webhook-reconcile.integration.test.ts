import { describe, expect, it } from "vitest";
import { signCalBody } from "@/lib/cal/signature";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRequested,
  makeBookingRescheduled,
  makePing,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import { databaseForThisFile } from "../support/test-database";
import {
  countRows,
  createTestLead,
  deliver,
  failuresFor,
  leadRow,
  loadFixture,
  snapshotLeads,
  withToken,
} from "../support/webhook-harness";

const t = databaseForThisFile();

describe(`webhook reconciliation on ${process.env.TEST_DB}`, () => {
  it("example 1: a signed BOOKING_CREATED books its lead once, with one stage-change and one audit row", async () => {
    const lead = await createTestLead(t.db);
    const body = withToken(loadFixture(1), lead.token);
    expect(await deliver(t.db, body)).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: "kq3Vb7nWc2XhT9pLm4RzaD",
      booking_status: "accepted",
      booking_start: new Date("2026-03-05T15:00:00Z"),
      booking_end: new Date("2026-03-05T15:30:00Z"),
      version: 2,
    });
    expect(await deliver(t.db, body)).toBe("duplicate");
    expect(await countRows(t.db, "lead_stage_changes", lead.id)).toBe(1);
    expect(await countRows(t.db, "audit_log", lead.id)).toBe(1);
    const [stored] = await t.db.sql`select delivery_count, outcome from public.webhook_events
      where booking_uid = 'kq3Vb7nWc2XhT9pLm4RzaD' and trigger_event = 'BOOKING_CREATED'`;
    expect(stored).toEqual({ delivery_count: 2, outcome: "applied" });
  });

  it("example 1 from a second subscription (new createdAt) changes nothing and is a duplicate", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    const first = makeBookingCreated({
      uid,
      submissionToken: lead.token,
      createdAt: "2026-03-02T09:14:07.512Z",
    });
    expect(await deliver(t.db, first)).toBe("applied");
    const before = await leadRow(t.db, lead.id);
    expect(await deliver(t.db, { ...first, createdAt: "2026-03-02T09:14:07.530Z" })).toBe("duplicate");
    expect(await leadRow(t.db, lead.id)).toEqual(before);
  });

  it("examples 2 → 3 → 8: requested (our token), confirmed and then a host's request, both without it, by the uid", async () => {
    const lead = await createTestLead(t.db);
    expect(await deliver(t.db, withToken(loadFixture(2), lead.token))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "booking_requested",
      booking_status: "pending",
    });
    expect(loadFixture(3).payload?.metadata).not.toHaveProperty("submissionId");
    expect(await deliver(t.db, loadFixture(3))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", booking_status: "accepted" });
    expect(loadFixture(8).payload).not.toHaveProperty("metadata");
    expect(await deliver(t.db, loadFixture(8))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "reschedule_requested",
      booking_status: "reschedule_requested",
      booking_status_reason: "Host is travelling, please pick a new time",
    });
    const stages = await t.db.sql`select from_stage, to_stage from public.lead_stage_changes
      where lead_id = ${lead.id} order by changed_at`;
    expect(stages).toEqual([
      { from_stage: "new", to_stage: "booking_requested" },
      { from_stage: "booking_requested", to_stage: "call_booked" },
      { from_stage: "call_booked", to_stage: "reschedule_requested" },
    ]);
  });

  it("example 4: a REJECTED without metadata is matched by the uid the lead holds", async () => {
    const lead = await createTestLead(t.db);
    const requested = makeBookingRequested({
      uid: "Hm5sQw9RtZ1cV7bNe4LkuA",
      submissionToken: lead.token,
      createdAt: "2026-03-02T10:00:00Z",
    });
    expect(await deliver(t.db, requested)).toBe("applied");
    expect(await deliver(t.db, loadFixture(4))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "booking_rejected",
      booking_status: "rejected",
      booking_status_reason: "Outside our service area",
    });
  });

  it("the reschedule chain 1 → 5 → 6 (Cal.com's link: no token) is one booking; 9 and 10 on the replaced uid are stale", async () => {
    const lead = await createTestLead(t.db, { email: "priya@client.example" });
    const token = lead.token;
    // The fixtures share uids with the first test; give this chain its own by renaming them.
    const rename = (body: object) =>
      JSON.parse(
        JSON.stringify(body)
          .replaceAll("kq3Vb7nWc2XhT9pLm4RzaD", "kq3-chain")
          .replaceAll("Wb2nF6yHs8KdR3tLq9PvcM", "Wb2-chain")
          .replaceAll("Ra7mC4xNp1GhJ8sWq5TdzB", "Ra7-chain"),
      );
    expect(await deliver(t.db, rename(withToken(loadFixture(1), token)))).toBe("applied");
    expect(await deliver(t.db, rename(loadFixture(5)))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ cal_booking_uid: "Wb2-chain" });
    expect(await deliver(t.db, rename(loadFixture(6)))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: "Ra7-chain",
      booking_start: new Date("2026-03-11T16:00:00Z"),
    });
    const bookings = await t.db
      .sql`select root_uid, current_uid, uids, state from public.lead_bookings where lead_id = ${lead.id}`;
    expect(bookings).toEqual([
      {
        root_uid: "kq3-chain",
        current_uid: "Ra7-chain",
        uids: ["Ra7-chain", "Wb2-chain", "kq3-chain"],
        state: "live",
      },
    ]);
    const tied = await t.db.sql`select uid from public.booking_uids where lead_id = ${lead.id} order by uid`;
    expect(tied.map((row) => row.uid)).toEqual(["Ra7-chain", "Wb2-chain", "kq3-chain"]);
    expect(await deliver(t.db, rename(withToken(loadFixture(9), token)))).toBe("stale");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked" });
    expect(await deliver(t.db, rename(loadFixture(10)))).toBe("stale");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_booked",
      meeting_ended: false,
      attendee_no_show: null,
    });
  });

  it("out of order, 7 before 6: the cancel waits in the queue and is applied when 6 links its uid", async () => {
    const lead = await createTestLead(t.db);
    const oldUid = newBookingUid();
    const newUid = newBookingUid();
    await deliver(
      t.db,
      makeBookingCreated({ uid: oldUid, submissionToken: lead.token, createdAt: "2026-03-04T08:00:00Z" }),
    );
    const cancel = makeBookingCancelled({ uid: newUid, createdAt: "2026-03-10T07:30:12.902Z" });
    expect(await deliver(t.db, cancel)).toBe("queued");
    expect(await failuresFor(t.db, { bookingUid: newUid })).toEqual([
      { reason: "unmatched", status: "open", outcome: "queued" },
    ]);

    const reschedule = makeBookingRescheduled({
      uid: newUid,
      rescheduleUid: oldUid,
      createdAt: "2026-03-08T19:47:02Z",
    });
    expect(await deliver(t.db, reschedule)).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_cancelled",
      booking_status: "cancelled",
      cal_booking_uid: newUid,
    });
    expect(await failuresFor(t.db, { bookingUid: newUid })).toEqual([
      { reason: "unmatched", status: "resolved", outcome: "queued" },
    ]);
    const audit = await t.db
      .sql`select action, actor_type, failure_id is not null as has_failure from public.audit_log
      where lead_id = ${lead.id} order by id`;
    expect(audit.map((row) => row.action)).toEqual([
      "lead.updated_by_webhook",
      "lead.updated_by_webhook",
      "failure.auto_matched",
    ]);
  });

  it("example 12 (no metadata, unknown uid) is queued as unmatched and touches no lead", async () => {
    await createTestLead(t.db, { email: "sam@rivera.example" });
    const before = await snapshotLeads(t.db);
    expect(await deliver(t.db, loadFixture(12))).toBe("queued");
    expect(await failuresFor(t.db, { bookingUid: "Ys3dK9pTf6MwQ2hVn8LbxC" })).toEqual([
      { reason: "unmatched", status: "open", outcome: "queued" },
    ]);
    expect(await snapshotLeads(t.db)).toBe(before);
  });

  it("a token signed for nobody (the fixture's raw ID) or edited in the browser is queued as invalid_submission_token", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    const before = await snapshotLeads(t.db);
    const [id, mac] = lead.token.split(".");
    const tampered = `${id}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    expect(await deliver(t.db, makeBookingCreated({ uid, submissionToken: tampered }))).toBe("queued");
    expect(await failuresFor(t.db, { bookingUid: uid })).toEqual([
      { reason: "invalid_submission_token", status: "open", outcome: "queued" },
    ]);
    const other = newBookingUid();
    expect(await deliver(t.db, makeBookingCreated({ uid: other, submissionToken: "sub_01HZY8Q4K7M2" }))).toBe(
      "queued",
    );
    expect((await failuresFor(t.db, { bookingUid: other }))[0].reason).toBe("invalid_submission_token");
    expect(await snapshotLeads(t.db)).toBe(before);
  });

  it("an unverified body is answered unverified, queued once per body, capped per hour, and touches no lead", async () => {
    const lead = await createTestLead(t.db);
    const before = await snapshotLeads(t.db);
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.token }));
    expect(await deliver(t.db, body, { signature: signCalBody(body, "whsec_attacker") })).toBe("unverified");
    expect(await deliver(t.db, body, { signature: signCalBody(body, "whsec_attacker") })).toBe("unverified");
    expect(await deliver(t.db, body, { signature: "no-secret-provided" })).toBe("unverified");
    expect(await deliver(t.db, body, { signature: null })).toBe("unverified");
    const stored = await t.db
      .sql`select e.delivery_count, e.event, f.reason, f.detail from public.webhook_events e
      join public.webhook_failures f on f.webhook_event_id = e.id where e.verification = 'unverified'`;
    expect(stored).toEqual([
      { delivery_count: 4, event: null, reason: "unverified", detail: expect.any(String) },
    ]);

    for (let i = 0; i < 5; i++) {
      await deliver(t.db, `{"n":${i}}`, { signature: "0".repeat(64), unverified: { perHour: 3 } });
    }
    const [{ n }] = await t.db.sql<{
      n: number;
    }>`select count(*)::int as n from public.webhook_events where verification = 'unverified'`;
    expect(n).toBe(3);
    expect(await snapshotLeads(t.db)).toBe(before);
  });

  it("PING and triggers we do not use are ignored and change no lead", async () => {
    const before = await snapshotLeads(t.db);
    expect(await deliver(t.db, loadFixture(11))).toBe("ignored");
    expect(await deliver(t.db, makePing())).toBe("ignored");
    expect(
      await deliver(t.db, {
        triggerEvent: "RECORDING_READY",
        createdAt: "2026-03-01T11:00:00Z",
        payload: {},
      }),
    ).toBe("ignored");
    expect(await snapshotLeads(t.db)).toBe(before);
  });

  it("a signed body that cannot be parsed is kept and queued as unsupported_payload (not retried)", async () => {
    const before = await snapshotLeads(t.db);
    expect(
      await deliver(
        t.db,
        '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-03-01T11:00:00Z","payload":{}}',
      ),
    ).toBe("queued");
    expect(await deliver(t.db, "{not json")).toBe("queued");
    expect(await deliver(t.db, "{not json")).toBe("duplicate");
    const rows = await t.db.sql`select f.reason, f.detail, e.raw_body from public.webhook_failures f
      join public.webhook_events e on e.id = f.webhook_event_id where f.reason = 'unsupported_payload' order by e.received_at`;
    expect(rows).toHaveLength(2);
    expect(rows[0].detail).toContain("uid");
    expect(rows[1]).toMatchObject({ raw_body: "{not json", detail: "body is not valid UTF-8 JSON" });
    expect(await snapshotLeads(t.db)).toBe(before);
  });

  it("the same event delivered 20 times at once is applied exactly once", async () => {
    const lead = await createTestLead(t.db);
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.token }));
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(t.db, body)));
    expect(results.filter((r) => r === "applied")).toHaveLength(1);
    expect(results.filter((r) => r === "duplicate")).toHaveLength(19);
    expect(await countRows(t.db, "lead_stage_changes", lead.id)).toBe(1);
    expect(await countRows(t.db, "audit_log", lead.id)).toBe(1);
  });
});
