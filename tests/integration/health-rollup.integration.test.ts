import { describe, expect, it } from "vitest";
import { makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import { type DailyCount, readDailyCounts, refreshDailyRollup } from "@/lib/health/daily-rollup";
import { healthPeriod } from "@/lib/health/health-period";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead, deliver } from "../support/webhook-harness";

const t = databaseForThisFile();
const HOUR = 3_600_000;
const period = () => healthPeriod({ days: "7" });

/** The definition the rollup must keep to: every stored delivery of the period, counted from scratch. */
async function countedFromScratch(): Promise<DailyCount[]> {
  const { from, to } = period();
  return t.db.sql<DailyCount>`
    select to_char((received_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
      case when verification = 'unverified' then 'unverified' else coalesce(outcome, 'queued') end as outcome,
      count(*)::int as events, sum(delivery_count - 1)::int as repeats, count(lead_id)::int as linked
    from public.webhook_events
    where received_at >= ${from.toISOString()}::text::timestamptz and received_at <= ${to.toISOString()}::text::timestamptz
    group by 1, 2`;
}

const sorted = (rows: DailyCount[]) =>
  rows
    .filter((row) => row.events > 0)
    .map((row) => `${row.day} ${row.outcome} ${row.events} ${row.repeats} ${row.linked}`)
    .sort();

async function expectRollupExact() {
  await refreshDailyRollup(t.db, period());
  expect(sorted(await readDailyCounts(t.db.sql, period()))).toEqual(sorted(await countedFromScratch()));
}

async function storeAt(key: string, hoursAgo: number, outcome = "applied") {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const [row] = await t.db.sql<{ id: string }>`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, outcome, received_at, last_received_at)
    values (${key}, 'verified', ${key}, '{}', ${outcome}, ${at}::timestamptz, ${at}::timestamptz)
    returning id`;
  return row.id;
}

async function staleDays(): Promise<string[]> {
  const rows = await t.db.sql<{
    day: string;
  }>`select to_char(day, 'YYYY-MM-DD') as day from public.health_stale_days`;
  return rows.map((row) => row.day);
}

describe(`the health page's daily rollup on ${process.env.TEST_DB}`, () => {
  it("stays equal to counting from scratch through every write that changes a closed day", async () => {
    const lead = await createTestLead(t.db);
    const old = await storeAt("rollup:old", 60);
    await storeAt("rollup:older", 100, "queued");
    await storeAt("rollup:today", 0);
    await expectRollupExact();
    expect(await staleDays()).toEqual([]);

    // A repeat delivery of an old event: its day goes stale, and the next read counts the repeat.
    await t.db.sql`update public.webhook_events set delivery_count = delivery_count + 1 where id = ${old}`;
    expect(await staleDays()).toHaveLength(1);
    await expectRollupExact();
    // A late tie to a lead.
    await t.db.sql`update public.webhook_events set lead_id = ${lead.id} where id = ${old}`;
    await expectRollupExact();
    // A row stored with an earlier time (a backfill, a restore).
    await storeAt("rollup:late", 30, "stale");
    await expectRollupExact();
    // A row moved from one closed day to another.
    await t.db
      .sql`update public.webhook_events set received_at = received_at + interval '1 day' where id = ${old}`;
    expect((await staleDays()).length).toBeGreaterThanOrEqual(1);
    await expectRollupExact();
    expect(await staleDays()).toEqual([]);

    // A change that does not touch what is counted leaves the day alone (the retention purge's kind).
    await t.db.sql`update public.webhook_events set raw_body = '' where id = ${old}`;
    expect(await staleDays()).toEqual([]);
  });

  it("marks nothing for today's deliveries, and a repeat through the webhook of an old event is counted", async () => {
    const lead = await createTestLead(t.db);
    const uid = newBookingUid();
    const body = makeBookingCreated({ uid, submissionToken: lead.token });
    expect(await deliver(t.db, body)).toBe("applied");
    expect(await staleDays()).toEqual([]);
    await expectRollupExact();

    await t.db.sql`
      update public.webhook_events set received_at = now() - interval '2 days'
      where booking_uid = ${uid}`;
    await expectRollupExact();
    expect(await deliver(t.db, body)).toBe("duplicate");
    expect(await staleDays()).toHaveLength(1);
    await expectRollupExact();
  });

  it("two pages rolling up the same days at once both succeed and agree", async () => {
    await storeAt("rollup:race-a", 50);
    await storeAt("rollup:race-b", 80, "queued");
    await t.db.sql`delete from public.health_rolled_days`;
    await Promise.all([refreshDailyRollup(t.db, period()), refreshDailyRollup(t.db, period())]);
    expect(sorted(await readDailyCounts(t.db.sql, period()))).toEqual(sorted(await countedFromScratch()));
  });
});
