import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertConfig } from "@/lib/alerts/alert-rules";
import { runHealthCheck } from "@/lib/alerts/run-health-check";
import { runScheduledChecks } from "@/lib/alerts/run-scheduled-checks";
import { TEST_CHAIN_KEYS, appendTestEntry, behindTheAppsBack } from "../support/audit-chain-harness";
import { startFakeChatWebhook } from "../support/fake-chat-webhook";
import { databaseForThisFile } from "../support/test-database";
import { markWindowsRecovered } from "@/lib/outage/refused-deliveries";

const t = databaseForThisFile();
let chat: Awaited<ReturnType<typeof startFakeChatWebhook>>;
beforeAll(async () => {
  chat = await startFakeChatWebhook();
});
afterAll(() => chat?.close());

const ALWAYS_OPEN: AlertConfig = {
  openItems: 2,
  oldestOpenHours: 5,
  unverifiedPerHour: 3,
  backfillConfigured: true,
  silenceHours: 2,
  businessHours: [0, 24],
  businessDays: [1, 7],
  timeZone: "UTC",
};
const WEDNESDAY_NOON = new Date("2026-11-25T12:00:00Z");
const SATURDAY_NOON = new Date("2026-11-28T12:00:00Z");

let counter = 0;
async function addEvent(
  options: { verification?: string; hoursAgo?: number; deliveries?: number; failure?: boolean } = {},
) {
  counter += 1;
  const at = new Date(Date.now() - (options.hoursAgo ?? 0) * 3_600_000).toISOString();
  const [event] = await t.db.sql<{ id: string }>`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, outcome, delivery_count, received_at, last_received_at)
    values (${`alert:${counter}`}, ${options.verification ?? "verified"}, ${`a${counter}`}, '{}', 'queued', ${options.deliveries ?? 1},
      ${at}::timestamptz, ${at}::timestamptz)
    returning id`;
  if (options.failure) {
    await t.db
      .sql`insert into public.webhook_failures (webhook_event_id, reason, created_at) values (${event.id}, 'unmatched', ${at}::timestamptz)`;
  }
  return event.id;
}

const check = (now = WEDNESDAY_NOON, config = ALWAYS_OPEN) => runHealthCheck(t.db, config, chat.url, now);
const newMessages = (before: number) => chat.messages.slice(before);

describe(`health alerts on ${process.env.TEST_DB}`, () => {
  it("silence: fires once when nothing ever arrived, not again while it holds, clears when an event comes", async () => {
    let seen = chat.messages.length;
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["no_events:fired"]);
    expect(newMessages(seen)).toEqual([expect.stringContaining("No event has ever arrived from Cal.com")]);
    seen = chat.messages.length;
    expect((await check()).sent).toEqual([]);
    await addEvent();
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["no_events:cleared"]);
    expect(newMessages(seen)).toEqual([expect.stringMatching(/^Booking Handoff: Cleared: /)]);
  });

  it("silence is judged only in business hours", async () => {
    const weekdaysOnly = { ...ALWAYS_OPEN, businessDays: [1, 5] as [number, number], silenceHours: 0.0001 };
    await new Promise((resolve) => setTimeout(resolve, 500)); // longer than silenceHours
    expect(
      (await check(SATURDAY_NOON, weekdaysOnly)).verdicts.find((v) => v.rule === "no_events"),
    ).toMatchObject({ evaluated: false });
    expect((await check(SATURDAY_NOON, weekdaysOnly)).sent).toEqual([]);
    expect((await check(WEDNESDAY_NOON, weekdaysOnly)).sent.map((s) => s.rule)).toEqual(["no_events"]);
    await addEvent();
    await check(WEDNESDAY_NOON, weekdaysOnly);
  });

  it("queue size: fires when it starts, not while it holds, clears, and fires again when it returns", async () => {
    await addEvent();
    const ids = [
      await addEvent({ failure: true }),
      await addEvent({ failure: true }),
      await addEvent({ failure: true }),
    ];
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["queue_size:fired"]);
    expect((await check()).sent).toEqual([]);
    await t.db
      .sql`update public.webhook_failures set status = 'discarded' where webhook_event_id = any(${ids.slice(0, 2)}::uuid[])`;
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["queue_size:cleared"]);
    await addEvent({ failure: true });
    await addEvent({ failure: true });
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["queue_size:fired"]);
    await t.db.sql`update public.webhook_failures set status = 'discarded'`;
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["queue_size:cleared"]);
  });

  it("an old open item and a burst of unverified deliveries each alert once", async () => {
    await addEvent();
    await addEvent({ failure: true, hoursAgo: 6 });
    await addEvent({ verification: "unverified", deliveries: 4 });
    expect((await check()).sent.map((s) => s.rule).sort()).toEqual([
      "oldest_open_item",
      "unverified_deliveries",
    ]);
    expect((await check()).sent).toEqual([]);
    await t.db.sql`update public.webhook_failures set status = 'discarded'`;
    await t.db
      .sql`update public.webhook_events set last_received_at = now() - interval '2 hours' where verification = 'unverified'`;
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`).sort()).toEqual([
      "oldest_open_item:cleared",
      "unverified_deliveries:cleared",
    ]);
  });

  it("a chat outage delays an alert instead of losing it", async () => {
    await addEvent();
    for (let n = 0; n < 3; n++) await addEvent({ failure: true });
    chat.fail(500);
    const failed = await check();
    expect(failed.sent).toEqual([]);
    expect(failed.unsent).toEqual([
      expect.objectContaining({
        rule: "queue_size",
        change: "fired",
        problem: "the chat webhook answered 500",
      }),
    ]);
    expect(failed.unsent[0].problem).not.toContain(chat.url);
    chat.fail(null);
    const seen = chat.messages.length;
    expect((await check()).sent.map((s) => `${s.rule}:${s.change}`)).toEqual(["queue_size:fired"]);
    expect(newMessages(seen)).toHaveLength(1);
    await t.db.sql`update public.webhook_failures set status = 'discarded'`;
    await check();
  });
});

describe(`deliveries refused while the database was away (${process.env.TEST_DB})`, () => {
  async function refusedWindow(hoursAgo: number, count: number) {
    const at = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    await t.db
      .sql`insert into public.refused_delivery_windows (first_refused_at, last_refused_at, refused_count)
      values (${at}::timestamptz, ${at}::timestamptz, ${count})`;
  }
  const refusedRule = (verdicts: { rule: string }[]) =>
    verdicts.find((verdict) => verdict.rule === "refused_deliveries");

  it("without CAL_API_KEY: fires at once, saying the events cannot be read back; clears once they are", async () => {
    const noBackfill = { ...ALWAYS_OPEN, backfillConfigured: false };
    await refusedWindow(0.1, 7);
    const fired = await check(WEDNESDAY_NOON, noBackfill);
    expect(fired.sent.map((s) => `${s.rule}:${s.change}`)).toContain("refused_deliveries:fired");
    expect(refusedRule(fired.verdicts)).toMatchObject({
      firing: true,
      value: 7,
      message: expect.stringMatching(/^7 deliveries were refused \(503\).*Set CAL_API_KEY/),
    });
    await markWindowsRecovered(t.db.sql, new Date(), "test");
    expect((await check(WEDNESDAY_NOON, noBackfill)).sent.map((s) => `${s.rule}:${s.change}`)).toContain(
      "refused_deliveries:cleared",
    );
  });

  it("with the backfill configured: quiet while it can still catch up, firing once it has not for an hour", async () => {
    await refusedWindow(0.2, 2);
    expect(refusedRule((await check()).verdicts)).toMatchObject({ firing: false, value: 2 });
    await refusedWindow(2, 1);
    expect(refusedRule((await check()).verdicts)).toMatchObject({
      firing: true,
      value: 3,
      message: expect.stringContaining("The backfill has not read them back yet"),
    });
    await markWindowsRecovered(t.db.sql, new Date(), "test");
    expect(refusedRule((await check()).verdicts)).toMatchObject({ firing: false, value: 0 });
  });
});

describe(`the audit chain's alert (${process.env.TEST_DB})`, () => {
  it("a forged entry fires audit_chain once, naming it; the head went to the chat as the outside record", async () => {
    const chain = { keys: TEST_CHAIN_KEYS, anchorFile: null, retentionDays: 365 };
    const run = () =>
      runScheduledChecks(t.db, { alerts: ALWAYS_OPEN, chain, chatUrl: chat.url, anchorChatHours: 24 });
    for (let n = 0; n < 3; n++) await appendTestEntry(t.db, n);
    let seen = chat.messages.length;
    const clean = await run();
    expect(clean.auditChain.verdict).toMatchObject({ intact: true });
    expect(clean.anchorPosted).toBe(true);
    expect(newMessages(seen)).toContainEqual(expect.stringMatching(/Audit chain head: entry #\d+/));
    // Within a day the head is not posted again (every run still logs it).
    expect((await run()).anchorPosted).toBe(false);

    const [victim] = await t.db.sql<{
      seq: number;
      entry: number;
    }>`select seq, entry_id as entry from public.audit_seals order by seq limit 1`;
    await behindTheAppsBack(
      t.owner,
      (tx) => tx`update public.audit_log set reason = 'rewritten' where id = ${victim.entry}`,
    );
    seen = chat.messages.length;
    const broken = await run();
    expect(broken.health.sent.map((s) => `${s.rule}:${s.change}`)).toContain("audit_chain:fired");
    expect(newMessages(seen)).toContainEqual(
      `Booking Handoff: The audit trail failed verification: entry #${victim.seq} does not match its seal: it was edited, or sealed without the key. Entries from there on cannot be trusted.`,
    );
    expect((await run()).health.sent.map((s) => s.rule)).not.toContain("audit_chain");
  });
});
