import { describe, expect, it } from "vitest";
import { makeBookingCancelled, makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import type { Database, Sql } from "@/lib/db/database";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver, leadRow } from "../support/webhook-harness";

const t = databaseForThisFile();
const WAITING = 200;

/** The same database with every statement inside one open transaction, so its read counters can be asked. */
const inTransaction = (db: Database, tx: Sql): Database => ({
  ...db,
  sql: tx,
  transaction: (work) => work(tx, () => Promise.reject(new Error("no scripts inside this transaction"))),
});

/** Rows this transaction has read from the two tables, by table scans and through indexes. */
async function rowsReadSoFar(tx: Sql): Promise<{ events: number; failures: number }> {
  const rows = await tx<{ relname: string; read: number }>`
    select relname, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int as read
    from pg_catalog.pg_stat_xact_user_tables where relname in ('webhook_events', 'webhook_failures')`;
  const read = (name: string) => rows.find((row) => row.relname === name)?.read ?? 0;
  return { events: read("webhook_events"), failures: read("webhook_failures") };
}

describe(`what a delivery reads of the queue, on ${process.env.TEST_DB}`, () => {
  it("a booking tied to its lead reads that lead's events only, with hundreds of others waiting, before any ANALYZE", async () => {
    // One transaction on one connection, in a new database: the plans this connection caches at its first
    // booking see empty tables, as a new deployment's first deliveries do, and no ANALYZE can see the rows
    // written after them.
    const { read, leadId, uid } = await t.db.transaction(async (tx) => {
      const db = inTransaction(t.db, tx);
      const first = await createTestLead(db);
      const firstBooking = makeBookingCreated({ uid: newBookingUid(), submissionToken: first.token });
      expect(await deliver(db, firstBooking)).toBe("applied");
      for (let i = 0; i < WAITING; i++)
        expect(await deliver(db, makeBookingCreated({ uid: newBookingUid() }))).toBe("queued");
      const lead = await createTestLead(db);
      const uid = newBookingUid();
      // One event of the lead's own waits too (it overtook its booking), and must still be pulled in.
      const cancelled = makeBookingCancelled({ uid, createdAt: "2026-03-03T09:00:00.000Z" });
      expect(await deliver(db, cancelled)).toBe("queued");

      const before = await rowsReadSoFar(tx);
      const booked = makeBookingCreated({
        uid,
        submissionToken: lead.token,
        createdAt: "2026-03-02T09:00:00.000Z",
      });
      expect(await deliver(db, booked)).toBe("applied");
      const after = await rowsReadSoFar(tx);
      return {
        read: { events: after.events - before.events, failures: after.failures - before.failures },
        leadId: lead.id,
        uid,
      };
    });

    expect(await leadRow(t.db, leadId)).toMatchObject({ stage: "call_cancelled", cal_booking_uid: uid });
    // The lead's two events, read by the fold and by the uid lookup, and the one failure it resolves: nothing
    // that grows with the queue.
    expect(read.events).toBeLessThan(20);
    expect(read.failures).toBeLessThan(5);
  });
});
