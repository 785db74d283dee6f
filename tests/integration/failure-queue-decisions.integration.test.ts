import { describe, expect, it } from "vitest";
import { applyFailureToLead, previewFailureMatch } from "@/lib/failure-queue/apply-failure-to-lead";
import { decideInBulk } from "@/lib/failure-queue/decide-in-bulk";
import { discardFailure } from "@/lib/failure-queue/discard-failure";
import { reopenFailure } from "@/lib/failure-queue/reopen-failure";
import { retryFailureMatch } from "@/lib/failure-queue/retry-failure-match";
import { makeBookingCancelled, makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import type { LeadState } from "@/lib/reconcile/booking-fields";
import { createLead } from "@/lib/leads/create-lead";
import { auditRowsFor, createTestStaff, failureRow, queueUnmatchedBooking } from "../support/staff-harness";
import { databaseForThisFile } from "../support/test-database";
import {
  TEST_SUBMISSION_KEYS,
  createTestLead,
  deliver,
  leadRow,
  snapshotLeads,
} from "../support/webhook-harness";

const t = databaseForThisFile();

async function versionsOf(failureId: string, leadId: string) {
  const [failure] = await t.db.sql<{
    version: number;
  }>`select version from public.webhook_failures where id = ${failureId}`;
  const lead = await leadRow(t.db, leadId);
  return { failureVersion: failure.version, leadVersion: lead.version as number };
}

describe(`staff decisions on the failure queue, on ${process.env.TEST_DB}`, () => {
  it("apply: the preview's diff is what applying writes, with one audit row naming the staff member and request", async () => {
    const staff = await createTestStaff(t.db);
    const lead = await createTestLead(t.db, { name: "Ines Moreau", email: "ines@client.example" });
    const queued = await queueUnmatchedBooking(t.db, { name: "Ines Moreau", email: "ines@client.example" });

    const untouched = await snapshotLeads(t.db);
    const preview = await previewFailureMatch(t.db, { failureId: queued.failureId, leadId: lead.id }, staff);
    expect(preview.link?.outcome).toBe("applied");
    // The preview ran the apply and rolled it back: nothing of it stayed.
    expect(await snapshotLeads(t.db)).toBe(untouched);
    expect(await auditRowsFor(t.db, queued.failureId)).toHaveLength(0);
    const planned = preview.link!.after.lead;

    const result = await applyFailureToLead(
      t.db,
      {
        failureId: queued.failureId,
        leadId: lead.id,
        ...(await versionsOf(queued.failureId, lead.id)),
        overrideUnverified: false,
        reason: null,
      },
      staff,
    );
    expect(result).toMatchObject({ kind: "done", leadId: lead.id });
    const after = await leadRow(t.db, lead.id);
    expect(after).toMatchObject({
      stage: planned!.stage,
      cal_booking_uid: queued.uid,
      booking_status: "accepted",
    });
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      status: "resolved",
      resolution: "applied",
      resolved_lead_id: lead.id,
    });
    const audit = await auditRowsFor(t.db, queued.failureId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "failure.applied",
      actor_type: "staff",
      actor_email: staff.staff.email,
      lead_id: lead.id,
    });
    expect(audit[0].request_context).toMatchObject({
      ip: "203.0.113.7",
      userAgent: "vitest",
      requestId: staff.context.requestId,
    });
    const [stage] = await t.db
      .sql`select from_stage, to_stage from public.lead_stage_changes where lead_id = ${lead.id}`;
    expect(stage).toEqual({ from_stage: "new", to_stage: "call_booked" });
  });

  it("preview equals apply: a queued CREATED and CANCELLED for one booking are both pulled in, and the result is the preview's", async () => {
    const staff = await createTestStaff(t.db);
    const lead = await createTestLead(t.db, { name: "Pulled In", email: "pulled@client.example" });
    const uid = newBookingUid();
    const attendee = { name: "Pulled In", email: "pulled@client.example" };
    expect(
      await deliver(t.db, makeBookingCreated({ uid, attendee, createdAt: "2026-03-01T09:00:00Z" })),
    ).toBe("queued");
    expect(
      await deliver(t.db, makeBookingCancelled({ uid, attendee, createdAt: "2026-03-02T09:00:00Z" })),
    ).toBe("queued");
    const [created] = await t.db.sql<{
      id: string;
    }>`select f.id from public.webhook_failures f join public.webhook_events e
      on e.id = f.webhook_event_id where e.booking_uid = ${uid} and e.trigger_event = 'BOOKING_CREATED'`;

    const preview = await previewFailureMatch(t.db, { failureId: created.id, leadId: lead.id }, staff);
    expect(preview.link?.steps.map((step) => [step.trigger, step.outcome])).toEqual([
      ["BOOKING_CREATED", "applied"],
      ["BOOKING_CANCELLED", "applied"],
    ]);
    expect(preview.link?.after.lead.stage).toBe("call_cancelled");

    const result = await applyFailureToLead(
      t.db,
      {
        failureId: created.id,
        leadId: lead.id,
        failureVersion: preview.failureVersion!,
        leadVersion: preview.leadVersion!,
        overrideUnverified: false,
        reason: null,
      },
      staff,
    );
    expect(result.link?.steps).toEqual(preview.link?.steps.map((step) => ({ ...step })));
    const [{ state }] = await t.db.sql<{
      state: LeadState;
    }>`select public.stored_lead_state(${lead.id}::uuid) as state`;
    expect(state).toEqual(preview.link?.after);
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_cancelled", cal_booking_uid: uid });
  });

  it("apply after the lead changed since the preview writes nothing and says so", async () => {
    const staff = await createTestStaff(t.db);
    const lead = await createTestLead(t.db);
    const queued = await queueUnmatchedBooking(t.db, { name: "Late Changer", email: "late@client.example" });
    const seen = await versionsOf(queued.failureId, lead.id);
    // Meanwhile the webhook books the lead with another booking.
    await deliver(t.db, makeBookingCreated({ submissionToken: lead.token }));
    const snapshot = await snapshotLeads(t.db);

    const result = await applyFailureToLead(
      t.db,
      { failureId: queued.failureId, leadId: lead.id, ...seen, overrideUnverified: false, reason: null },
      staff,
    );
    expect(result.kind).toBe("conflict");
    expect(result.message).toMatch(/lead changed since your preview/);
    expect(await snapshotLeads(t.db)).toBe(snapshot);
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      status: "open",
      version: seen.failureVersion,
    });
    expect(await auditRowsFor(t.db, queued.failureId)).toHaveLength(0);
  });

  it("apply after someone discarded the item is a conflict, and the lead stays as it was", async () => {
    const [first, second] = [await createTestStaff(t.db), await createTestStaff(t.db)];
    const lead = await createTestLead(t.db);
    const queued = await queueUnmatchedBooking(t.db, { name: "Raced", email: "raced@client.example" });
    const seen = await versionsOf(queued.failureId, lead.id);
    expect(
      (
        await discardFailure(
          t.db,
          { failureId: queued.failureId, version: seen.failureVersion, reason: "spam" },
          second,
        )
      ).kind,
    ).toBe("done");
    const before = await leadRow(t.db, lead.id);
    const result = await applyFailureToLead(
      t.db,
      { failureId: queued.failureId, leadId: lead.id, ...seen, overrideUnverified: false, reason: null },
      first,
    );
    expect(result).toMatchObject({ kind: "conflict" });
    expect(await leadRow(t.db, lead.id)).toEqual(before);
  });

  it("an unverified event applies only through the override with a reason, and the audit row flags it", async () => {
    const staff = await createTestStaff(t.db);
    const lead = await createTestLead(t.db, { email: "unverified@client.example" });
    const queued = await queueUnmatchedBooking(
      t.db,
      { name: "U", email: "unverified@client.example" },
      { signature: "sha256=00" },
    );
    const [row] = await t.db
      .sql`select f.reason from public.webhook_failures f where f.id = ${queued.failureId}`;
    expect(row.reason).toBe("unverified");
    const snapshot = await snapshotLeads(t.db);
    const base = {
      failureId: queued.failureId,
      leadId: lead.id,
      ...(await versionsOf(queued.failureId, lead.id)),
    };

    expect(
      await applyFailureToLead(t.db, { ...base, overrideUnverified: false, reason: "looks fine" }, staff),
    ).toMatchObject({ kind: "refused" });
    expect(
      await applyFailureToLead(t.db, { ...base, overrideUnverified: true, reason: null }, staff),
    ).toMatchObject({ kind: "refused" });
    expect(await snapshotLeads(t.db)).toBe(snapshot);

    const result = await applyFailureToLead(
      t.db,
      { ...base, overrideUnverified: true, reason: "confirmed with the host on Cal.com" },
      staff,
    );
    expect(result.kind).toBe("done");
    expect(await auditRowsFor(t.db, queued.failureId)).toEqual([
      expect.objectContaining({
        action: "failure.applied_unverified_override",
        reason: "confirmed with the host on Cal.com",
      }),
    ]);
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      resolution: "applied_unverified_override",
    });
    // The claimed event is kept on its row, so the lead's later folds include it.
    const [stored] = await t.db
      .sql`select e.booking_uid, e.event is not null as parsed, e.lead_id from public.webhook_events e
      join public.webhook_failures f on f.webhook_event_id = e.id where f.id = ${queued.failureId}`;
    expect(stored).toEqual({ booking_uid: queued.uid, parsed: true, lead_id: lead.id });
  });

  it("discard needs a reason; discard and reopen each write one audit row; a stale version is refused", async () => {
    const staff = await createTestStaff(t.db);
    const queued = await queueUnmatchedBooking(t.db, { name: "D", email: "discard@client.example" });
    expect(
      await discardFailure(
        t.db,
        { failureId: queued.failureId, version: queued.version, reason: "  " },
        staff,
      ),
    ).toMatchObject({ kind: "refused" });
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({ status: "open" });

    expect(
      (
        await discardFailure(
          t.db,
          { failureId: queued.failureId, version: queued.version, reason: "test booking" },
          staff,
        )
      ).kind,
    ).toBe("done");
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      status: "discarded",
      resolution_note: "test booking",
    });
    expect(
      await reopenFailure(
        t.db,
        { failureId: queued.failureId, version: queued.version, reason: null },
        staff,
      ),
    ).toMatchObject({ kind: "conflict" });

    const discarded = await failureRow(t.db, queued.failureId);
    expect(
      (
        await reopenFailure(
          t.db,
          { failureId: queued.failureId, version: discarded.version, reason: "was real" },
          staff,
        )
      ).kind,
    ).toBe("done");
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      status: "open",
      resolution: null,
      resolution_note: null,
    });
    expect((await auditRowsFor(t.db, queued.failureId)).map((row) => row.action)).toEqual([
      "failure.discarded",
      "failure.reopened",
    ]);
  });

  it("retry matching: no lead yet keeps the item open (audited); once the lead holds the booking it applies", async () => {
    const staff = await createTestStaff(t.db);
    const queued = await queueUnmatchedBooking(t.db, { name: "Early", email: "early@client.example" });
    const still = await retryFailureMatch(t.db, { failureId: queued.failureId }, staff, TEST_SUBMISSION_KEYS);
    expect(still).toMatchObject({
      kind: "done",
      outcome: "no_match",
      href: `/admin/failures/${queued.failureId}`,
    });
    expect(still.message).toMatch(/no lead shares the attendee's email or name. The item stays open/);
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({ status: "open" });

    // A lead with the attendee's email is a suggestion, never a match: the answer says so and points at the
    // item.
    const lead = await createLead(
      t.db,
      { name: "Early", email: "early@client.example" },
      TEST_SUBMISSION_KEYS,
    );
    const suggested = await retryFailureMatch(
      t.db,
      { failureId: queued.failureId },
      staff,
      TEST_SUBMISSION_KEYS,
    );
    expect(suggested).toMatchObject({
      kind: "done",
      outcome: "suggestions",
      href: `/admin/failures/${queued.failureId}`,
    });
    expect(suggested.message).toMatch(/1 lead shares the attendee's email or name: open the item to choose/);
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "new" });

    // Once the lead holds the booking (another of its events tied it), retrying matches by the uid.
    await t.db.sql`insert into public.booking_uids (uid, lead_id) values (${queued.uid}, ${lead.id})`;
    const matched = await retryFailureMatch(
      t.db,
      { failureId: queued.failureId },
      staff,
      TEST_SUBMISSION_KEYS,
    );
    expect(matched).toMatchObject({ kind: "done", outcome: "matched", leadId: lead.id });
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked" });
    expect((await auditRowsFor(t.db, queued.failureId)).map((row) => row.action)).toEqual([
      "failure.retry_unmatched",
      "failure.retry_unmatched",
      "failure.retry_matched",
    ]);
  });

  it("bulk discard reports each item; an item decided meanwhile is a conflict and the others still go through", async () => {
    const staff = await createTestStaff(t.db);
    const items = await Promise.all(
      [1, 2, 3].map((n) =>
        queueUnmatchedBooking(t.db, { name: `Bulk ${n}`, email: `bulk${n}@client.example` }),
      ),
    );
    await discardFailure(t.db, { failureId: items[1].failureId, version: null, reason: "first" }, staff);
    const results = await decideInBulk(
      t.db,
      { kind: "discard", failureIds: items.map((i) => i.failureId), reason: "duplicates" },
      staff,
      TEST_SUBMISSION_KEYS,
    );
    expect(results.map((r) => r.result.kind)).toEqual(["done", "conflict", "done"]);
    for (const item of items) expect((await failureRow(t.db, item.failureId)).status).toBe("discarded");
    expect((await auditRowsFor(t.db, items[0].failureId)).map((row) => row.action)).toEqual([
      "failure.discarded",
    ]);
  });

  it("a failing audit insert rolls the whole decision back: no lead change, item still open", async () => {
    const staff = await createTestStaff(t.db);
    const lead = await createTestLead(t.db, { email: "rollback@client.example" });
    const queued = await queueUnmatchedBooking(t.db, { name: "R", email: "rollback@client.example" });
    const snapshot = await snapshotLeads(t.db);
    await t.owner.sql`create function public.test_refuse_audit() returns trigger language plpgsql as $$
      begin if new.action = 'failure.applied' then raise exception 'audit store unavailable'; end if; return new; end $$`;
    await t.owner
      .sql`create trigger test_refuse_audit before insert on public.audit_log for each row execute function public.test_refuse_audit()`;
    try {
      await expect(
        applyFailureToLead(
          t.db,
          {
            failureId: queued.failureId,
            leadId: lead.id,
            ...(await versionsOf(queued.failureId, lead.id)),
            overrideUnverified: false,
            reason: null,
          },
          staff,
        ),
      ).rejects.toThrow(/audit store unavailable/);
    } finally {
      await t.owner.sql`drop trigger test_refuse_audit on public.audit_log`;
      await t.owner.sql`drop function public.test_refuse_audit()`;
    }
    expect(await snapshotLeads(t.db)).toBe(snapshot);
    expect(await failureRow(t.db, queued.failureId)).toMatchObject({
      status: "open",
      version: queued.version,
    });
    const [event] = await t.db
      .sql`select e.lead_id from public.webhook_events e where e.booking_uid = ${queued.uid}`;
    expect(event.lead_id).toBeNull();
  });
});
