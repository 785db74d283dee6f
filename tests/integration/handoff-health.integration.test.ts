import { beforeAll, describe, expect, it } from "vitest";
import { loadDailyFlow } from "@/lib/health/daily-flow";
import { readDailyCounts, refreshDailyRollup } from "@/lib/health/daily-rollup";
import { healthPeriod } from "@/lib/health/health-period";
import { loadMatchOutcomes } from "@/lib/health/match-outcomes";
import { loadQueueHealth } from "@/lib/health/queue-health";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
// The real clock: open items' ages are measured from the database's now().
const NOW = new Date();
const HOUR = 3_600_000;

/**
 * A scenario written row by row, so the expected numbers can be counted here by hand rather than by the
 * queries under test: each event says when it arrived, how it ended, and (for a queued one) its failure.
 */
interface SeedEvent {
  hoursAgo: number;
  verification?: "verified" | "unverified";
  outcome: "applied" | "stale" | "duplicate" | "queued" | "ignored";
  linked: boolean;
  deliveries?: number;
  failure?: {
    status: "open" | "resolved" | "discarded";
    resolution?: string;
    reason?: string;
    decidedAfterHours?: number;
  };
}

const SCENARIO: SeedEvent[] = [
  { hoursAgo: 1, outcome: "applied", linked: true },
  { hoursAgo: 2, outcome: "applied", linked: true, deliveries: 3 },
  { hoursAgo: 30, outcome: "stale", linked: true },
  { hoursAgo: 30, outcome: "ignored", linked: false },
  {
    hoursAgo: 50,
    outcome: "queued",
    linked: true,
    failure: { status: "resolved", resolution: "auto_matched", decidedAfterHours: 1 },
  },
  {
    hoursAgo: 50,
    outcome: "queued",
    linked: true,
    failure: { status: "resolved", resolution: "applied", decidedAfterHours: 2 },
  },
  {
    hoursAgo: 70,
    outcome: "queued",
    linked: true,
    failure: { status: "resolved", resolution: "retry_matched", decidedAfterHours: 10 },
  },
  { hoursAgo: 0.5, outcome: "queued", linked: false, failure: { status: "open" } },
  {
    hoursAgo: 5,
    outcome: "queued",
    linked: false,
    failure: { status: "open", reason: "invalid_submission_token" },
  },
  { hoursAgo: 100, outcome: "queued", linked: false, failure: { status: "open" } },
  {
    hoursAgo: 100,
    outcome: "queued",
    linked: false,
    failure: { status: "discarded", resolution: "discarded", decidedAfterHours: 4 },
  },
  {
    hoursAgo: 3,
    verification: "unverified",
    outcome: "queued",
    linked: false,
    deliveries: 2,
    failure: { status: "open", reason: "unverified" },
  },
  { hoursAgo: 24 * 20, outcome: "applied", linked: true },
  { hoursAgo: 24 * 20, outcome: "queued", linked: false, failure: { status: "open" } },
];

beforeAll(async () => {
  const [lead] = await t.db.sql<{
    id: string;
  }>`insert into public.leads (submission_id, name, email) values ('health', 'H', 'h@x.example') returning id`;
  for (const [index, seed] of SCENARIO.entries()) {
    const at = new Date(NOW.getTime() - seed.hoursAgo * HOUR).toISOString();
    const [event] = await t.db.sql<{ id: string }>`
      insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, outcome, lead_id, delivery_count, received_at, last_received_at)
      values (${`health:${index}`}, ${seed.verification ?? "verified"}, ${`h${index}`}, '{}', ${seed.outcome},
        ${seed.linked ? lead.id : null}, ${seed.deliveries ?? 1}, ${at}::timestamptz, ${at}::timestamptz)
      returning id`;
    if (seed.failure) {
      const decidedAt =
        seed.failure.decidedAfterHours === undefined
          ? null
          : new Date(Date.parse(at) + seed.failure.decidedAfterHours * HOUR).toISOString();
      await t.db.sql`
        insert into public.webhook_failures (webhook_event_id, reason, status, resolution, created_at, resolved_at)
        values (${event.id}, ${seed.failure.reason ?? "unmatched"}, ${seed.failure.status}, ${seed.failure.resolution ?? null},
          ${at}::timestamptz, ${decidedAt}::timestamptz)`;
    }
  }
});

describe(`handoff health numbers on ${process.env.TEST_DB}`, () => {
  const period = healthPeriod({ days: "7" }, NOW);
  const inPeriod = SCENARIO.filter((seed) => seed.hoursAgo * HOUR <= NOW.getTime() - period.from.getTime());
  const dailyCounts = async () => {
    await refreshDailyRollup(t.db, period);
    return readDailyCounts(t.db.sql, period);
  };

  it("match outcomes for the period equal the scenario counted by hand", async () => {
    const concerned = inPeriod.filter((seed) => seed.linked || seed.failure);
    expect(await loadMatchOutcomes(t.db.sql, period, await dailyCounts())).toEqual({
      automatic: concerned.filter((s) => s.linked && (!s.failure || s.failure.resolution === "auto_matched"))
        .length,
      manual: concerned.filter((s) => ["applied", "retry_matched"].includes(s.failure?.resolution ?? ""))
        .length,
      open: concerned.filter((s) => s.failure?.status === "open").length,
      discarded: concerned.filter((s) => s.failure?.status === "discarded").length,
    });
  });

  it("the open queue by reason and age, and the time staff took to decide", async () => {
    const health = await loadQueueHealth(t.db.sql, period);
    const open = SCENARIO.filter((s) => s.failure?.status === "open");
    expect(health.openByReason).toEqual([
      { reason: "unmatched", count: open.filter((s) => !s.failure?.reason).length },
      { reason: "invalid_submission_token", count: 1 },
      { reason: "unverified", count: 1 },
    ]);
    const ageOf = (hours: number) => (hours < 1 ? 0 : hours < 24 ? 1 : hours < 168 ? 2 : 3);
    expect(health.openByAge.map((bucket) => bucket.count)).toEqual(
      [0, 1, 2, 3].map((bucket) => open.filter((s) => ageOf(s.hoursAgo) === bucket).length),
    );
    expect(health.oldestOpenAt?.getTime()).toBeCloseTo(NOW.getTime() - 24 * 20 * HOUR, -3);
    // Staff decisions in the period took 2, 4 and 10 hours (the automatic match is not a staff decision).
    const decided = inPeriod.filter(
      (s) => s.failure?.decidedAfterHours !== undefined && s.failure.resolution !== "auto_matched",
    );
    expect(decided.map((s) => s.failure!.decidedAfterHours).sort((a, b) => a! - b!)).toEqual([2, 4, 10]);
    expect(health.decided).toBe(3);
    expect(health.medianHoursToDecision).toBeCloseTo(4, 5);
    expect(health.p90HoursToDecision).toBeCloseTo(8.8, 5);
  });

  it("the daily flow counts each event once under its outcome, unverified apart, with repeats", async () => {
    const flow = await loadDailyFlow(t.db.sql, period, await dailyCounts());
    expect(flow.days).toHaveLength(7);
    const total = (outcome: string) =>
      flow.days.reduce((sum, day) => sum + (day.counts as Record<string, number>)[outcome], 0);
    expect(total("applied")).toBe(inPeriod.filter((s) => s.outcome === "applied").length);
    expect(total("unverified")).toBe(inPeriod.filter((s) => s.verification === "unverified").length);
    expect(total("queued")).toBe(
      inPeriod.filter((s) => s.outcome === "queued" && s.verification !== "unverified").length,
    );
    expect(flow.days.reduce((sum, day) => sum + day.repeats, 0)).toBe(
      inPeriod.reduce((sum, s) => sum + (s.deliveries ?? 1) - 1, 0),
    );
    expect(flow.lastEventAt).toEqual(new Date(NOW.getTime() - 0.5 * HOUR));
  });
});
