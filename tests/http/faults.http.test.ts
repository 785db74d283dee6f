import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalEvent } from "@/lib/cal/event";
import { parseCalBody } from "@/lib/cal/parse-cal-body";
import {
  makeBookingCancelled,
  makeBookingCreated,
  makeBookingRescheduled,
  newBookingUid,
} from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import type { Database } from "@/lib/db/database";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { foldLeadBookings, storedLeadState } from "@/lib/reconcile/lead-state";
import { type RunningServer, startNextServer } from "../support/next-server";
import { databaseUrl } from "../support/postgres-template";
import { type RelayedDatabase, openRelayedDatabase } from "../support/relayed-database";
import type { TcpProxy } from "../support/tcp-proxy";
import { API_KEY, type FakeBooking, fakeBooking, startFakeCalApi } from "../support/fake-cal-api";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET, createTestLead } from "../support/webhook-harness";

let proxy: TcpProxy;
let db: Database;
let relayed: RelayedDatabase;
const running: RunningServer[] = [];

const serverEnv = () => ({
  DATABASE_URL: relayed.relayedUrl,
  CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
  NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
  DATABASE_POOL_MAX: "4",
});

async function start(extra: Record<string, string> = {}) {
  const server = await startNextServer({ ...serverEnv(), ...extra });
  running.push(server);
  return server;
}

beforeAll(async () => {
  relayed = await openRelayedDatabase();
  ({ db, proxy } = relayed);
});

afterAll(async () => {
  for (const server of running) await server.stop();
  await relayed?.close();
});

async function post(server: RunningServer, body: string) {
  const response = await fetch(`${server.url}/api/webhooks/cal`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
    },
    // Cal.com gives up on a delivery after a few seconds; an answer that never comes is a failure too.
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    outcome: ((await response.json()) as { status?: string }).status,
  };
}

const eventOf = (body: string) => {
  const parsed = parseCalBody(JSON.parse(body));
  if (parsed.kind !== "event") throw new Error("not an event");
  return parsed.event;
};

describe("faults around the webhook (next start, PostgreSQL behind a TCP relay the test can cut)", () => {
  it("the database going away mid-stream: 503 with Retry-After, nothing half-written, each redelivery applied once", async () => {
    const server = await start();
    const leads = await Promise.all(Array.from({ length: 12 }, () => createTestLead(db)));
    const bodies = leads.flatMap((lead) => {
      const [first, second] = [newBookingUid(), newBookingUid()];
      return [
        makeBookingCreated({
          uid: first,
          submissionToken: lead.token,
          createdAt: "2026-03-02T09:00:00.000Z",
        }),
        makeBookingRescheduled({
          uid: second,
          rescheduleUid: first,
          submissionToken: lead.token,
          createdAt: "2026-03-03T09:00:00.000Z",
        }),
        makeBookingCancelled({
          uid: second,
          submissionToken: lead.token,
          createdAt: "2026-03-04T09:00:00.000Z",
        }),
      ].map((body) => ({ lead, body: JSON.stringify(body) }));
    });

    const answers = new Map<string, Awaited<ReturnType<typeof post>>>();
    let sent = 0;
    const worker = async () => {
      while (sent < bodies.length) {
        const { body } = bodies[sent++];
        if (sent === 12) proxy.cut();
        if (sent === 16) proxy.restore();
        answers.set(body, await post(server, body));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    proxy.restore();

    const unavailable = [...answers].filter(([, answer]) => answer.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const [, answer] of unavailable)
      expect(answer).toMatchObject({ outcome: undefined, retryAfter: expect.stringMatching(/^\d+$/) });
    expect([...answers.values()].every((answer) => answer.status === 200 || answer.status === 503)).toBe(
      true,
    );

    // Nothing half-written: an event either is not stored, or it is stored with its outcome, lead link and
    // audit.
    const [halfWritten] = await db.sql<{ n: number }>`
      select count(*)::int as n from public.webhook_events e
      where e.outcome is null
         or (e.outcome = 'applied' and not exists (select 1 from public.audit_log a where a.webhook_event_id = e.id))
         or (e.outcome = 'applied' and e.lead_id is null)`;
    expect(halfWritten.n).toBe(0);

    // Cal.com (here: the test) redelivers what failed; then every lead is exactly its events' fold.
    for (const [body] of unavailable) expect((await post(server, body)).status).toBe(200);
    for (const lead of leads) {
      const events: CalEvent[] = bodies.filter((b) => b.lead === lead).map((b) => eventOf(b.body));
      const [row] = await db.sql<{
        email: string;
        submission_id: string;
      }>`select email, submission_id from public.leads where id = ${lead.id}`;
      expect(await storedLeadState(db.sql, lead.id)).toEqual(
        await foldLeadBookings(db.sql, events, row.email, row.submission_id),
      );
    }
    const [counts] = await db.sql<{ applied: number; audits: number }>`
      select (select count(*)::int from public.webhook_events where outcome = 'applied') as applied,
             (select count(*)::int from public.audit_log where action = 'lead.updated_by_webhook') as audits`;
    expect(counts.audits).toBe(counts.applied);
  });

  it("the server killed in the middle of a delivery: the event is applied whole or not at all, and its redelivery once", async () => {
    const first = await start();
    const lead = await createTestLead(db);
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.token }));
    const uid = eventOf(body).bookingUid;

    // Hold the lead's row so the delivery's transaction stops half-way (delivery row inserted, lead not yet
    // updated).
    const blocker = createPostgresDatabase(databaseUrl(relayed.name), { maxConnections: 1 });
    let releaseLead!: () => void;
    const held = blocker.transaction(async (tx) => {
      await tx`select id from public.leads where id = ${lead.id} for update`;
      await new Promise<void>((resolve) => (releaseLead = resolve));
    });
    const inFlight = post(first, body).catch(() => "connection lost");
    await expect
      .poll(
        async () =>
          (
            await db.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`
          ).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);

    process.kill(first.pid, "SIGKILL");
    expect(await inFlight).toBe("connection lost");
    releaseLead();
    await held;
    await blocker.close();
    // The delivery is one statement: the database finishes it whole even though nobody waits for the answer.
    await expect
      .poll(async () => db.sql`select outcome from public.webhook_events where booking_uid = ${uid}`, {
        timeout: 10_000,
      })
      .toEqual([{ outcome: "applied" }]);
    expect(await db.sql`select stage from public.leads where id = ${lead.id}`).toEqual([
      { stage: "call_booked" },
    ]);

    // Cal.com saw no answer and (on its queued path) sends the same body again: it is a duplicate, applied
    // once.
    const second = await start();
    expect(await post(second, body)).toMatchObject({ status: 200, outcome: "duplicate" });
    const [counts] = await db.sql<{ stages: number; audits: number }>`
      select (select count(*)::int from public.lead_stage_changes where lead_id = ${lead.id}) as stages,
             (select count(*)::int from public.audit_log where lead_id = ${lead.id}) as audits`;
    expect(counts).toEqual({ stages: 1, audits: 1 });
  });

  it("deliveries refused while the database is cut are read back by the next backfill: every refused booking ends tied to its lead", async () => {
    const calApi = await startFakeCalApi();
    const cronSecret = "faults-test-cron-secret";
    const server = await start({ CAL_API_KEY: API_KEY, CAL_API_URL: calApi.url, CRON_SECRET: cronSecret });
    const unrecovered = async () =>
      (
        await db.sql<{
          n: number;
        }>`select coalesce(sum(refused_count), 0)::int as n from public.refused_delivery_windows where recovered_at is null`
      )[0].n;
    try {
      // The first test's server refused deliveries too; it wrote its window down long ago.
      const before = await unrecovered();
      const leads = await Promise.all(Array.from({ length: 16 }, () => createTestLead(db)));
      // What Cal.com holds: each lead's booking, updated a moment before its webhook is sent.
      const bookings: FakeBooking[] = [];
      const answers: { lead: string; uid: string; status: number }[] = [];
      for (const [n, lead] of leads.entries()) {
        if (n === 4) proxy.cut();
        if (n === 10) proxy.restore();
        const booking = fakeBooking({
          email: `refused${n}@client.example`,
          metadata: { submissionId: lead.token },
          updatedAt: new Date().toISOString(),
        });
        bookings.push(booking);
        calApi.bookings.push(booking);
        const body = JSON.stringify(
          makeBookingCreated({
            uid: booking.uid,
            submissionToken: lead.token,
            startTime: booking.start,
            endTime: booking.end,
          }),
        );
        answers.push({ lead: lead.id, uid: booking.uid, ...(await post(server, body)) });
      }
      proxy.restore();
      const refused = answers.filter((answer) => answer.status === 503);
      expect(refused.length).toBeGreaterThanOrEqual(4);
      expect(answers.filter((answer) => answer.status !== 503).every((answer) => answer.status === 200)).toBe(
        true,
      );

      // The server writes the window down once the database answers again; nothing else tells the backfill.
      await expect.poll(unrecovered, { timeout: 20_000 }).toBe(before + refused.length);
      const refusedLines = server
        .output()
        .split("\n")
        .filter((line) => line.includes('"outcome":"database_unavailable"'));
      expect(refusedLines).toHaveLength(refused.length);
      for (const line of refusedLines)
        expect(JSON.parse(line)).toMatchObject({
          level: "error",
          status: 503,
          cause: { message: expect.any(String) },
        });

      const cron = await fetch(`${server.url}/api/cron/health`, {
        headers: { authorization: `Bearer ${cronSecret}` },
      });
      expect(cron.status).toBe(200);
      expect(((await cron.json()) as { backfill: unknown }).backfill).toMatchObject({
        applied: refused.length,
        refusedWindowsRecovered: expect.any(Number),
      });
      for (const answer of answers) {
        const [row] = await db.sql<{ stage: string; uids: string[] }>`
          select l.stage, array(select uid from public.booking_uids u where u.lead_id = l.id) as uids from public.leads l where l.id = ${answer.lead}`;
        expect(row, answer.uid).toEqual({ stage: "call_booked", uids: [answer.uid] });
      }
      expect(
        await db.sql`select 1 from public.refused_delivery_windows where recovered_at is null`,
      ).toHaveLength(0);
    } finally {
      await calApi.close();
    }
  });
});
