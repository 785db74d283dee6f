import { beforeAll, describe, expect, it } from "vitest";
import { listFailures } from "@/lib/failure-queue/list-failures";
import { type QueueParams, parseQueueParams } from "@/lib/failure-queue/queue-params";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const TOTAL = 57;

/**
 * Failures spread over three days, several sharing one timestamp (keyset ties on time), with microseconds
 * (which a JS Date would drop from a cursor).
 */
async function seedQueue() {
  await t.db.sql`
    with events as (
      insert into public.webhook_events (idempotency_key, outcome, verification, body_sha256, raw_body, trigger_event,
        event_created_at, booking_uid, attendee_email, attendee_name, received_at)
      select 'seed:' || n, 'queued', case when n % 5 = 0 then 'unverified' else 'verified' end, md5(n::text), '{}',
        case when n % 2 = 0 then 'BOOKING_CREATED' else 'BOOKING_CANCELLED' end,
        timestamptz '2026-11-20 10:00:00.654321+00' + (n % 7) * interval '1 hour',
        'uid_' || n, case when n = 13 then 'under_score%@client.example' else 'person' || n || '@client.example' end,
        'Person ' || n, timestamptz '2026-11-20 09:00:00.123456+00' + (n / 4) * interval '9 hours'
      from generate_series(1, ${TOTAL}::int) as n
      returning id, received_at, verification, idempotency_key
    )
    insert into public.webhook_failures (webhook_event_id, reason, status, created_at)
    select id, case when verification = 'unverified' then 'unverified' else 'unmatched' end,
      case when idempotency_key in ('seed:1', 'seed:2') then 'discarded' else 'open' end, received_at
    from events`;
}

async function walk(params: QueueParams, direction: "forward" | "backward") {
  const seen: string[][] = [];
  let page = await listFailures(t.db.sql, params);
  seen.push(page.rows.map((row) => row.id));
  while (page.nextCursor) {
    page = await listFailures(t.db.sql, { ...params, after: page.nextCursor, before: undefined });
    seen.push(page.rows.map((row) => row.id));
  }
  if (direction === "forward") return { pages: seen, last: page };
  const back: string[][] = [page.rows.map((row) => row.id)];
  while (page.previousCursor) {
    page = await listFailures(t.db.sql, { ...params, before: page.previousCursor, after: undefined });
    back.unshift(page.rows.map((row) => row.id));
  }
  return { pages: back, last: page };
}

describe(`the failure queue's keyset pages on ${process.env.TEST_DB}`, () => {
  beforeAll(seedQueue);

  for (const [sort, dir] of [
    ["received", "desc"],
    ["received", "asc"],
    ["event_time", "desc"],
    ["event_time", "asc"],
  ] as const) {
    it(`sorted by ${sort} ${dir}: every row exactly once going forward, and the same pages coming back`, async () => {
      const params = parseQueueParams({ status: "all", sort, dir, size: "25" });
      const forward = await walk(params, "forward");
      const ids = forward.pages.flat();
      expect(ids).toHaveLength(TOTAL);
      expect(new Set(ids).size).toBe(TOTAL);
      const backward = await walk(params, "backward");
      expect(backward.pages).toEqual(forward.pages);
    });
  }

  it("filters, counts per reason and search (with LIKE's own characters taken literally)", async () => {
    const open = await listFailures(t.db.sql, parseQueueParams({}));
    expect(open.total).toBe(TOTAL - 2);
    expect(open.countsByReason.unverified + open.countsByReason.unmatched).toBe(TOTAL - 2);
    const unverified = await listFailures(t.db.sql, parseQueueParams({ reason: "unverified", size: "100" }));
    expect(unverified.rows.every((row) => row.reason === "unverified")).toBe(true);
    expect(unverified.total).toBe(unverified.rows.length);
    expect(unverified.countsByReason.unmatched).toBe(open.countsByReason.unmatched);

    const byTrigger = await listFailures(
      t.db.sql,
      parseQueueParams({ status: "all", trigger: "BOOKING_CREATED", size: "100" }),
    );
    expect(byTrigger.rows.every((row) => row.trigger === "BOOKING_CREATED")).toBe(true);
    expect(byTrigger.total).toBe(Math.floor(TOTAL / 2));

    const day = await listFailures(
      t.db.sql,
      parseQueueParams({ status: "all", from: "2026-11-21", to: "2026-11-21", size: "100" }),
    );
    expect(day.rows.length).toBeGreaterThan(0);
    expect(day.rows.every((row) => row.receivedAt.startsWith("2026-11-21"))).toBe(true);

    expect(
      (await listFailures(t.db.sql, parseQueueParams({ q: "under_score%" }))).rows.map(
        (r) => r.attendeeEmail,
      ),
    ).toEqual(["under_score%@client.example"]);
    expect((await listFailures(t.db.sql, parseQueueParams({ q: "%" }))).total).toBe(1);
    expect(
      (await listFailures(t.db.sql, parseQueueParams({ q: "uid_42" }))).rows.map((r) => r.bookingUid),
    ).toEqual(["uid_42"]);
  });

  it("a tampered cursor falls back to the first page instead of failing", async () => {
    const first = await listFailures(t.db.sql, parseQueueParams({}));
    const tampered = await listFailures(t.db.sql, parseQueueParams({ after: "bm90LWEtY3Vyc29y" }));
    expect(tampered.rows).toEqual(first.rows);
  });
});
