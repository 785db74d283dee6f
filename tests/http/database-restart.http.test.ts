import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import type { Database } from "@/lib/db/database";
import { type RunningServer, startNextServer } from "../support/next-server";
import { type RelayedDatabase, openRelayedDatabase } from "../support/relayed-database";
import type { TcpProxy } from "../support/tcp-proxy";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET, createTestLead } from "../support/webhook-harness";

const LEADS = 360;
const PER_SECOND = 40;
const RESTART_AT_MS = 2000;
const DOWN_MS = 3000;
const DEADLINE_MS = 3000;

let proxy: TcpProxy;
let db: Database;
let server: RunningServer;
let relayed: RelayedDatabase;

beforeAll(async () => {
  relayed = await openRelayedDatabase();
  ({ db, proxy } = relayed);
  server = await startNextServer({
    DATABASE_URL: relayed.relayedUrl,
    CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
    DATABASE_POOL_MAX: "6",
    DATABASE_TRANSACTION_TIMEOUT_MS: String(DEADLINE_MS),
  });
});

afterAll(async () => {
  await server?.stop();
  await relayed?.close();
});

/** The server's own account of each refused delivery, so a failure here says why. */
const refusedLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.includes('"status":503'))
    .join("\n");

interface Answer {
  body: string;
  sentAt: number;
  status: number;
  ms: number;
}

async function post(body: string): Promise<Answer> {
  const sentAt = performance.now();
  const response = await fetch(`${server.url}/api/webhooks/cal`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
    },
    signal: AbortSignal.timeout(15_000),
  }).catch(() => null);
  await response?.text();
  return { body, sentAt, status: response?.status ?? -1, ms: performance.now() - sentAt };
}

describe("PostgreSQL restarting, or a connection going quiet, under deliveries (a relay in front does it to the app)", () => {
  it("answers 503 within about a second while it is down, nothing but 200 once it is back, and never throws", async () => {
    const leads = await Promise.all(Array.from({ length: LEADS }, () => createTestLead(db)));
    const bodies = leads.map((lead) => JSON.stringify(makeBookingCreated({ submissionToken: lead.token })));

    const started = performance.now();
    let readyAt = Number.POSITIVE_INFINITY;
    const restarted = new Promise((resolve) => setTimeout(resolve, RESTART_AT_MS))
      .then(() => proxy.restart(DOWN_MS))
      .then(() => (readyAt = performance.now()));
    const answers: Promise<Answer>[] = [];
    for (const [index, body] of bodies.entries()) {
      const wait = started + (index * 1000) / PER_SECOND - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      answers.push(post(body));
    }
    const answered = await Promise.all(answers);
    await restarted;

    const downFrom = started + RESTART_AT_MS;
    const whileDown = answered.filter((a) => a.sentAt >= downFrom && a.sentAt < readyAt);
    const afterReady = answered.filter((a) => a.sentAt >= readyAt + 1000);
    expect(whileDown.length).toBeGreaterThan((DOWN_MS / 1000) * PER_SECOND * 0.8);
    expect(whileDown.filter((a) => a.status !== 503 && a.status !== 200)).toEqual([]);
    expect(whileDown.filter((a) => a.status === 503).length).toBeGreaterThan(whileDown.length / 2);
    expect(Math.max(...whileDown.map((a) => a.ms))).toBeLessThan(2500);
    expect(afterReady.length).toBeGreaterThan(PER_SECOND * 2);
    expect(
      afterReady.filter((a) => a.status !== 200).map((a) => a.status),
      refusedLines(server.output()),
    ).toEqual([]);
    expect(server.output()).not.toMatch(/uncaughtException|TypeError|unhandledRejection/);

    // Cal.com would not send the refused ones again; here they are, to show each applies once.
    for (const refused of answered.filter((a) => a.status !== 200))
      expect((await post(refused.body)).status).toBe(200);
    const [counts] = await db.sql<{ booked: number; stages: number; audits: number }>`
      select (select count(*)::int from public.leads where stage = 'call_booked') as booked,
             (select count(*)::int from public.lead_stage_changes) as stages,
             (select count(*)::int from public.audit_log where action = 'lead.updated_by_webhook') as audits`;
    expect(counts).toEqual({ booked: LEADS, stages: LEADS, audits: LEADS });
  });

  it("connections that go quiet while the database still answers: 503 at the deadline for calls on them, then a fresh pool", async () => {
    const lead = await createTestLead(db);
    expect((await post(JSON.stringify(makeBookingCreated({ submissionToken: lead.token })))).status).toBe(
      200,
    );
    const waiting = await Promise.all(Array.from({ length: 6 }, () => createTestLead(db)));
    proxy.silenceOpenConnections();
    // As many at once as the pool has connections: those that land on a quiet one are given up at the
    // deadline.
    const stuck = await Promise.all(
      waiting.map((quiet) => post(JSON.stringify(makeBookingCreated({ submissionToken: quiet.token })))),
    );
    expect(stuck.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    expect(stuck.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(Math.max(...stuck.map((answer) => answer.ms))).toBeLessThan(DEADLINE_MS + 2000);
    const after = await Promise.all(
      Array.from({ length: 10 }, async () =>
        post(JSON.stringify(makeBookingCreated({ submissionToken: (await createTestLead(db)).token }))),
      ),
    );
    expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(Math.max(...after.map((answer) => answer.ms))).toBeLessThan(1500);
  });
});
