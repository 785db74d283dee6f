import { describe, expect, it } from "vitest";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingPaid,
  makeBookingRequested,
  makeBookingRescheduled,
  makeMeetingEnded,
  makePaymentInitiated,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import { mergeLeads, previewMerge } from "@/lib/leads/merge-leads";
import { issueSubmissionToken } from "@/lib/leads/submission-token";
import { createTestStaff } from "../support/staff-harness";
import { databaseForThisFile } from "../support/test-database";
import {
  TEST_SUBMISSION_KEYS,
  createTestLead,
  deliver,
  failuresFor,
  leadRow,
  loadFixture,
  snapshotLeads,
} from "../support/webhook-harness";

const t = databaseForThisFile();

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const DAY = 86_400_000;

async function bookingsOf(leadId: string) {
  return t.db.sql<{ current_uid: string; status: string; state: string; paid: boolean }>`
    select current_uid, status, state, paid from public.lead_bookings where lead_id = ${leadId} order by start_time`;
}

async function submissionIdOf(leadId: string): Promise<string> {
  const [row] = await t.db.sql<{
    submission_id: string;
  }>`select submission_id from public.leads where id = ${leadId}`;
  return row.submission_id;
}

describe(`a lead holds several bookings (${process.env.TEST_DB})`, () => {
  it("books twice, cancels one: the lead stays booked, on the call that is still live", async () => {
    const lead = await createTestLead(t.db);
    const [first, second] = [newBookingUid(), newBookingUid()];
    await deliver(
      t.db,
      makeBookingCreated({ uid: first, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    await deliver(
      t.db,
      makeBookingCreated({ uid: second, submissionToken: lead.token, createdAt: at(2), startTime: at(12) }),
    );
    expect(
      await deliver(t.db, makeBookingCancelled({ uid: first, createdAt: at(3), startTime: at(10) })),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: second,
      booking_start: new Date(at(12)),
    });
    expect(await bookingsOf(lead.id)).toEqual([
      { current_uid: first, status: "cancelled", state: "closed", paid: false },
      { current_uid: second, status: "accepted", state: "live", paid: false },
    ]);
    // Cancelling the other one too leaves nothing live: the lead is cancelled, on the booking that starts
    // last.
    expect(
      await deliver(t.db, makeBookingCancelled({ uid: second, createdAt: at(4), startTime: at(12) })),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_cancelled", cal_booking_uid: second });
  });

  it("an intro and then a proposal: the earliest live call is current until it ends, then the next one", async () => {
    const lead = await createTestLead(t.db);
    const [intro, proposal] = [newBookingUid(), newBookingUid()];
    await deliver(
      t.db,
      makeBookingCreated({ uid: proposal, submissionToken: lead.token, createdAt: at(2), startTime: at(20) }),
    );
    await deliver(
      t.db,
      makeBookingCreated({ uid: intro, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: intro });
    expect(await deliver(t.db, makeMeetingEnded({ uid: intro, createdAt: at(1), startTime: at(10) }))).toBe(
      "applied",
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_booked",
      cal_booking_uid: proposal,
      booking_start: new Date(at(20)),
    });
    expect(
      await deliver(t.db, makeMeetingEnded({ uid: proposal, createdAt: at(2), startTime: at(20) })),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "call_completed",
      cal_booking_uid: proposal,
      meeting_ended: true,
    });
  });

  it("a completed call stands unless a live booking starts after it", async () => {
    const lead = await createTestLead(t.db);
    const [done, earlier] = [newBookingUid(), newBookingUid()];
    await deliver(
      t.db,
      makeBookingCreated({ uid: done, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    await deliver(t.db, makeMeetingEnded({ uid: done, createdAt: at(1), startTime: at(10) }));
    // A live booking that starts before the completed one (its end never reported) does not outrank it.
    await deliver(
      t.db,
      makeBookingCreated({ uid: earlier, submissionToken: lead.token, createdAt: at(2), startTime: at(8) }),
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_completed", cal_booking_uid: done });
    const later = newBookingUid();
    await deliver(
      t.db,
      makeBookingCreated({ uid: later, submissionToken: lead.token, createdAt: at(11), startTime: at(15) }),
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: later });
  });
});

describe(`Cal.com's real paths (${process.env.TEST_DB})`, () => {
  it("a paid booking: PAYMENT_INITIATED ties it (awaiting payment); CREATED, PAID and the narrow MEETING_ENDED follow by uid", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    expect(
      await deliver(
        t.db,
        makePaymentInitiated({ uid, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
      ),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "awaiting_payment",
      booking_status: "awaiting_payment",
    });
    expect(await deliver(t.db, makeBookingCreated({ uid, createdAt: at(1, 10), startTime: at(10) }))).toBe(
      "applied",
    );
    expect(await deliver(t.db, makeBookingPaid({ uid, createdAt: at(1, 11), startTime: at(10) }))).toBe(
      "applied",
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: uid });
    expect(await bookingsOf(lead.id)).toEqual([
      { current_uid: uid, status: "accepted", state: "live", paid: true },
    ]);
    expect(await deliver(t.db, makeMeetingEnded({ uid, narrow: true, startTime: at(10) }))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_completed", meeting_ended: true });
  });

  it("the paid flow out of order: CREATED and PAID wait in the queue until PAYMENT_INITIATED ties their booking", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    expect(await deliver(t.db, makeBookingPaid({ uid, createdAt: at(1, 11), startTime: at(10) }))).toBe(
      "queued",
    );
    expect(await deliver(t.db, makeBookingCreated({ uid, createdAt: at(1, 10), startTime: at(10) }))).toBe(
      "queued",
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "new" });
    expect(
      await deliver(
        t.db,
        makePaymentInitiated({ uid, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
      ),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: uid });
    expect(await failuresFor(t.db, { bookingUid: uid })).toEqual([
      { reason: "unmatched", status: "resolved", outcome: "queued" },
      { reason: "unmatched", status: "resolved", outcome: "queued" },
    ]);
  });

  it("a booking that needs confirmation: REQUESTED ties it, the confirmed CREATED and the narrow MEETING_ENDED match by uid", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    await deliver(
      t.db,
      makeBookingRequested({ uid, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    expect(await deliver(t.db, makeBookingCreated({ uid, createdAt: at(2), startTime: at(10) }))).toBe(
      "applied",
    );
    expect(await deliver(t.db, makeMeetingEnded({ uid, narrow: true, startTime: at(10) }))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_completed" });
  });

  it("a host's request reschedule on an older Cal.com (no flag), then a rebooking from the lead's link", async () => {
    const lead = await createTestLead(t.db);
    const [first, rebooked] = [newBookingUid(), newBookingUid()];
    await deliver(
      t.db,
      makeBookingCreated({ uid: first, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    expect(
      await deliver(
        t.db,
        makeBookingCancelled({
          uid: first,
          createdAt: at(2),
          startTime: at(10),
          legacyRequestReschedule: true,
        }),
      ),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "reschedule_requested",
      booking_status: "reschedule_requested",
    });
    await deliver(
      t.db,
      makeBookingCreated({ uid: rebooked, submissionToken: lead.token, createdAt: at(3), startTime: at(14) }),
    );
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: rebooked });
  });

  it("the fixtures' legacy request reschedule (17) and times spelled +00:00 (07) fold like any other", async () => {
    const lead = await createTestLead(t.db);
    const created = {
      ...makeBookingCreated({
        uid: "Lg7cW2nQz5RtY8pKs3VmdF",
        submissionToken: lead.token,
        createdAt: "2026-03-01T08:00:00Z",
      }),
    };
    await deliver(t.db, created);
    expect(await deliver(t.db, loadFixture(17))).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({
      stage: "reschedule_requested",
      booking_start: new Date("2026-03-11T16:00:00Z"),
    });
  });
});

describe(`tokens that age (${process.env.TEST_DB})`, () => {
  it("an expired token on a new booking is queued (the lead suggested to staff); a tied booking keeps matching by uid", async () => {
    const lead = await createTestLead(t.db);
    const expired = issueSubmissionToken(
      await submissionIdOf(lead.id),
      TEST_SUBMISSION_KEYS,
      Date.now() - 31 * DAY,
    );
    const fresh = newBookingUid();
    expect(await deliver(t.db, makeBookingCreated({ uid: fresh, submissionToken: expired }))).toBe("queued");
    expect(await failuresFor(t.db, { bookingUid: fresh })).toEqual([
      { reason: "expired_submission_token", status: "open", outcome: "queued" },
    ]);
    expect(await leadRow(t.db, lead.id)).toMatchObject({ stage: "new" });

    const tied = newBookingUid();
    await deliver(
      t.db,
      makeBookingCreated({ uid: tied, submissionToken: lead.token, createdAt: at(1), startTime: at(10) }),
    );
    // Weeks later the MEETING_ENDED built from the stored booking still carries the (now expired) token.
    expect(
      await deliver(
        t.db,
        makeMeetingEnded({ uid: tied, submissionToken: expired, createdAt: at(1), startTime: at(10) }),
      ),
    ).toBe("applied");
    expect(await leadRow(t.db, lead.id)).toMatchObject({ cal_booking_uid: tied, stage: "call_completed" });
  });

  it("a genuine token naming another lead than the one holding the booking is queued, not trusted", async () => {
    const [holder, other] = [await createTestLead(t.db), await createTestLead(t.db)];
    const uid = newBookingUid();
    await deliver(t.db, makeBookingCreated({ uid, submissionToken: holder.token, createdAt: at(1) }));
    const before = await leadRow(t.db, holder.id);
    const moved = newBookingUid();
    const body = makeBookingRescheduled({
      uid: moved,
      rescheduleUid: uid,
      submissionToken: other.token,
      createdAt: at(2),
    });
    expect(await deliver(t.db, body)).toBe("queued");
    expect(await leadRow(t.db, holder.id)).toEqual(before);
    expect((await failuresFor(t.db, { bookingUid: moved })).map((f) => f.reason)).toEqual([
      "invalid_submission_token",
    ]);
  });
});

describe(`one person, one lead (${process.env.TEST_DB})`, () => {
  it("a second intake with a known email is a new lead flagged as a possible duplicate of the first", async () => {
    const first = await createTestLead(t.db, { email: "twice@client.example" });
    const second = await createTestLead(t.db, { email: "Twice@Client.example" });
    const third = await createTestLead(t.db, { email: "twice@client.example" });
    expect(await leadRow(t.db, first.id)).toMatchObject({ duplicate_of: null });
    expect(await leadRow(t.db, second.id)).toMatchObject({ duplicate_of: first.id });
    expect(await leadRow(t.db, third.id)).toMatchObject({ duplicate_of: first.id });
  });

  it("bookings through each link stay on their own lead: a link reveals nothing of another's calls", async () => {
    const first = await createTestLead(t.db, { email: "own@client.example" });
    const second = await createTestLead(t.db, { email: "own@client.example" });
    const [a, b] = [newBookingUid(), newBookingUid()];
    await deliver(t.db, makeBookingCreated({ uid: a, submissionToken: first.token }));
    await deliver(t.db, makeBookingCreated({ uid: b, submissionToken: second.token }));
    expect((await bookingsOf(first.id)).map((x) => x.current_uid)).toEqual([a]);
    expect((await bookingsOf(second.id)).map((x) => x.current_uid)).toEqual([b]);
  });
});

describe(`merging a duplicate lead (${process.env.TEST_DB})`, () => {
  it("the preview is what merging writes; the duplicate's bookings and token then answer for the primary, audited", async () => {
    const staff = await createTestStaff(t.db);
    const primary = await createTestLead(t.db, { email: "merge@client.example" });
    const duplicate = await createTestLead(t.db, { email: "merge@client.example" });
    const [mine, theirs] = [newBookingUid(), newBookingUid()];
    await deliver(
      t.db,
      makeBookingCreated({ uid: mine, submissionToken: primary.token, createdAt: at(1), startTime: at(20) }),
    );
    await deliver(
      t.db,
      makeBookingCreated({
        uid: theirs,
        submissionToken: duplicate.token,
        createdAt: at(2),
        startTime: at(10),
      }),
    );
    const untouched = await snapshotLeads(t.db);

    const request = {
      duplicateId: duplicate.id,
      primaryId: primary.id,
      duplicateVersion: null,
      primaryVersion: null,
    };
    const preview = await previewMerge(t.db, request, staff);
    expect(preview).toMatchObject({ kind: "done" });
    expect(preview.changes?.map((c) => c.field)).toEqual([
      "cal_booking_uid",
      "booking_start",
      "booking_end",
      `booking ${theirs}`,
    ]);
    expect(await snapshotLeads(t.db)).toBe(untouched);

    const merged = await mergeLeads(
      t.db,
      {
        ...request,
        duplicateVersion: preview.versions!.duplicate,
        primaryVersion: preview.versions!.primary,
      },
      staff,
    );
    expect(merged.changes).toEqual(preview.changes);
    // The earlier call (the duplicate's) is now the primary's current one.
    expect(await leadRow(t.db, primary.id)).toMatchObject({ stage: "call_booked", cal_booking_uid: theirs });
    expect(await leadRow(t.db, duplicate.id)).toMatchObject({
      merged_into: primary.id,
      stage: "new",
      cal_booking_uid: null,
    });
    expect((await bookingsOf(primary.id)).map((b) => b.current_uid)).toEqual([theirs, mine]);
    const [audit] = await t.db
      .sql`select action, lead_id, after->>'merged_lead' as merged from public.audit_log where action = 'lead.merged'`;
    expect(audit).toEqual({ action: "lead.merged", lead_id: primary.id, merged: duplicate.id });

    // A late event carrying the duplicate's token follows to the primary.
    const late = newBookingUid();
    expect(
      await deliver(
        t.db,
        makeBookingCreated({
          uid: late,
          submissionToken: duplicate.token,
          createdAt: at(3),
          startTime: at(30),
        }),
      ),
    ).toBe("applied");
    expect((await bookingsOf(primary.id)).map((b) => b.current_uid)).toContain(late);
    // Merging again, or with stale versions, writes nothing.
    expect(
      await mergeLeads(t.db, { ...request, duplicateVersion: 1, primaryVersion: 1 }, staff),
    ).toMatchObject({ kind: "conflict" });
  });
});
