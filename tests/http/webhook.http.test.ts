import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import type { Database } from "@/lib/db/database";
import { type RunningServer, expectStartFailure, startNextServer } from "../support/next-server";
import { type RelayedDatabase, openRelayedDatabase } from "../support/relayed-database";
import type { TcpProxy } from "../support/tcp-proxy";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

let server: RunningServer;
let proxy: TcpProxy;
let db: Database;
let relayed: RelayedDatabase;

beforeAll(async () => {
  relayed = await openRelayedDatabase(2);
  ({ db, proxy } = relayed);
  server = await startNextServer({
    DATABASE_URL: relayed.relayedUrl,
    CAL_WEBHOOK_SECRET: `whsec_retired_secret_0001,${TEST_WEBHOOK_SECRET}`,
    SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
    LEAD_RATE_LIMIT_PER_10_MINUTES: "5",
    // The test stands in for one proxy in front, appending each client's address.
    TRUSTED_PROXY: "1",
  });
});

afterAll(async () => {
  await server?.stop();
  await relayed?.close();
});

function postWebhook(body: string, headers: Record<string, string> = {}, path = "/api/webhooks/cal") {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
      "x-cal-webhook-version": "2021-10-20",
      ...headers,
    },
    body,
  });
}

let clientNumber = 0;

/** Each call comes from another client address unless one is given: the API limits leads per client. */
async function createLeadOverHttp(input: Record<string, unknown>, client = `198.51.100.${++clientNumber}`) {
  return fetch(`${server.url}/api/leads`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify(input),
  });
}

async function newLead() {
  const response = await createLeadOverHttp({
    name: "Priya Shah",
    email: `priya+${newBookingUid()}@client.example`,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; submissionId: string; bookingUrl: string };
}

const count = async (query: Promise<{ n: number }[]>) => (await query)[0].n;

describe("POST /api/leads over HTTP", () => {
  it("creates a lead and answers its signed token and booking URL", async () => {
    const response = await createLeadOverHttp({
      name: " Leo Marquez ",
      email: "Leo@Acme.example",
      company: "Acme",
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      submissionId: expect.stringMatching(/^sub_[A-Za-z0-9_-]{16}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/),
      bookingUrl: `/book?submission=${encodeURIComponent(body.submissionId)}`,
    });
    const [lead] = await db.sql`select name, email, company, stage from public.leads where id = ${body.id}`;
    expect(lead).toEqual({ name: "Leo Marquez", email: "leo@acme.example", company: "Acme", stage: "new" });
  });

  it("answers 400 with field errors for bad input and writes nothing", async () => {
    const before = await count(db.sql<{ n: number }>`select count(*)::int as n from public.leads`);
    const invalid = await createLeadOverHttp({ name: "", email: "not-an-email", phone: "1".repeat(41) });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(body.error).toBe("invalid_input");
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["email", "name", "phone"]);
    const notJson = await fetch(`${server.url}/api/leads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{name:",
    });
    expect(notJson.status).toBe(400);
    const wrongType = await fetch(`${server.url}/api/leads`, { method: "POST", body: "name=x" });
    expect(wrongType.status).toBe(415);
    expect(await count(db.sql<{ n: number }>`select count(*)::int as n from public.leads`)).toBe(before);
  });

  it("limits leads per client: the sixth in ten minutes gets 429 and writes nothing", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await createLeadOverHttp({ name: "Bot", email: `bot${i}@spam.example` }, "203.0.113.9")).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(
      await count(db.sql<{ n: number }>`select count(*)::int as n from public.leads where name = 'Bot'`),
    ).toBe(5);
    expect(
      (await createLeadOverHttp({ name: "Someone else", email: "else@client.example" }, "203.0.113.10"))
        .status,
    ).toBe(201);
  });
});

describe("POST /api/webhooks/cal over HTTP against next start and PostgreSQL", () => {
  it("intake to booked: a signed BOOKING_CREATED for the lead's token moves it to call_booked", async () => {
    const lead = await newLead();
    const body = JSON.stringify(
      makeBookingCreated({
        submissionToken: lead.submissionId,
        startTime: "2026-12-01T15:00:00.000Z",
        endTime: "2026-12-01T15:30:00.000Z",
      }),
    );
    const response = await postWebhook(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "applied" });
    const [row] =
      await db.sql`select stage, booking_start, booking_end from public.leads where id = ${lead.id}`;
    expect(row).toEqual({
      stage: "call_booked",
      booking_start: new Date("2026-12-01T15:00:00Z"),
      booking_end: new Date("2026-12-01T15:30:00Z"),
    });
  });

  it("the same event delivered 50 times concurrently: one applied change, one stage change, one audit row, 49 duplicates", async () => {
    const lead = await newLead();
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId }));
    const responses = await Promise.all(Array.from({ length: 50 }, () => postWebhook(body)));
    const statuses = await Promise.all(responses.map(async (r) => `${r.status} ${(await r.json()).status}`));
    expect(statuses.filter((s) => s === "200 applied")).toHaveLength(1);
    expect(statuses.filter((s) => s === "200 duplicate")).toHaveLength(49);
    expect(
      await count(
        db.sql<{
          n: number;
        }>`select count(*)::int as n from public.lead_stage_changes where lead_id = ${lead.id}`,
      ),
    ).toBe(1);
    expect(
      await count(
        db.sql<{ n: number }>`select count(*)::int as n from public.audit_log where lead_id = ${lead.id}`,
      ),
    ).toBe(1);
    const [event] = await db.sql`select delivery_count from public.webhook_events where lead_id = ${lead.id}`;
    expect(event).toEqual({ delivery_count: 50 });
  });

  it("verifies with the second secret during a rotation", async () => {
    const lead = await newLead();
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId }));
    const response = await postWebhook(body, {
      "x-cal-signature-256": signCalBody(body, "whsec_retired_secret_0001"),
    });
    expect(await response.json()).toEqual({ status: "applied" });
  });

  it("answers a trailing-slash URL itself: Cal.com does not follow redirects", async () => {
    const lead = await newLead();
    const response = await postWebhook(
      JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId })),
      {},
      "/api/webhooks/cal/",
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "applied" });
  });

  it("401 for a bad signature, kept as unverified; the lead is untouched", async () => {
    const lead = await newLead();
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId }));
    for (const signature of [signCalBody(body, "whsec_wrong"), "no-secret-provided"]) {
      const response = await postWebhook(body, { "x-cal-signature-256": signature });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "invalid_signature" });
    }
    const respaced = JSON.stringify(JSON.parse(body), null, 1);
    expect(
      (await postWebhook(respaced, { "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET) })).status,
    ).toBe(401);
    const [row] = await db.sql`select stage, version from public.leads where id = ${lead.id}`;
    expect(row).toEqual({ stage: "new", version: 1 });
  });

  it("413 for a body over 256 KiB, stored nowhere", async () => {
    const before = await count(db.sql<{ n: number }>`select count(*)::int as n from public.webhook_events`);
    const huge = JSON.stringify({ ...makeBookingCreated(), padding: "x".repeat(300 * 1024) });
    const response = await postWebhook(huge);
    expect(response.status).toBe(413);
    expect(await count(db.sql<{ n: number }>`select count(*)::int as n from public.webhook_events`)).toBe(
      before,
    );
  });

  it("database down: 503 with Retry-After and nothing written; once it is back the same delivery applies once", async () => {
    const lead = await newLead();
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId }));
    proxy.cut();
    try {
      const response = await postWebhook(body);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await response.json()).toEqual({ error: "database_unavailable" });
    } finally {
      proxy.restore();
    }
    expect(
      await count(
        db.sql<{
          n: number;
        }>`select count(*)::int as n from public.webhook_events where lead_id = ${lead.id}`,
      ),
    ).toBe(0);
    // Back means reachable from the app: at once directly, after the pooler's own reconnect through one. A
    // retry answered 503 while the pooler reconnects may still be written once it does (the call is given up,
    // not undone): the next one is then its duplicate. Applied once either way.
    let retried = await postWebhook(body);
    let refusedWhileReconnecting = 0;
    for (; refusedWhileReconnecting < 25 && retried.status === 503; refusedWhileReconnecting++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      retried = await postWebhook(body);
    }
    const expected =
      refusedWhileReconnecting > 0 && process.env.TEST_POOLER ? ["applied", "duplicate"] : ["applied"];
    expect(expected).toContain(((await retried.json()) as { status: string }).status);
    expect(await (await postWebhook(body)).json()).toEqual({ status: "duplicate" });
    expect(
      await count(
        db.sql<{
          n: number;
        }>`select count(*)::int as n from public.lead_stage_changes where lead_id = ${lead.id}`,
      ),
    ).toBe(1);
  });

  it("never answers with a redirect or 410, and only POST is allowed", async () => {
    const get = await fetch(`${server.url}/api/webhooks/cal`, { redirect: "manual" });
    expect(get.status).toBe(405);
    const empty = await postWebhook("");
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ status: "queued" });
  });

  it("secrets never reach the server's output", () => {
    expect(server.output()).not.toContain(TEST_WEBHOOK_SECRET);
    expect(server.output()).not.toContain(TEST_SUBMISSION_SECRET);
  });
});

describe("production start", () => {
  it("refuses to start without CAL_WEBHOOK_SECRET, SUBMISSION_TOKEN_SECRET and NEXT_PUBLIC_CAL_LINK, naming them", async () => {
    const { code, output } = await expectStartFailure({
      CAL_WEBHOOK_SECRET: "",
      SUBMISSION_TOKEN_SECRET: "",
      NEXT_PUBLIC_CAL_LINK: "",
      DATABASE_URL: "postgres://127.0.0.1:1/none",
    });
    expect(code).not.toBe(0);
    for (const name of ["CAL_WEBHOOK_SECRET", "SUBMISSION_TOKEN_SECRET", "NEXT_PUBLIC_CAL_LINK"])
      expect(output).toContain(name);
  });

  it("refuses to start without DATABASE_URL rather than make up an empty embedded database (PGlite only when asked)", async () => {
    const { code, output } = await expectStartFailure({
      CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
      NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
      // Empty, so a developer's own .env.local cannot fill them in.
      DATABASE_URL: "",
      PGLITE_DATA_DIR: "",
    });
    expect(code).not.toBe(0);
    expect(output).toContain("DATABASE_URL (or PGLITE_DATA_DIR for the embedded database)");
  });

  it("refuses prepared statements asked for through Supabase's transaction pooler port, at the first use, with 503 and the reason", async () => {
    const pooled = await startNextServer({
      DATABASE_URL: "postgres://nobody@127.0.0.1:6543/none",
      DATABASE_PREPARED_STATEMENTS: "true",
      CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
      NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
    });
    try {
      const body = JSON.stringify(makeBookingCreated({}));
      const response = await fetch(`${pooled.url}/api/webhooks/cal`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
        },
      });
      expect(response.status).toBe(503);
      expect(pooled.output()).toContain(
        "DATABASE_PREPARED_STATEMENTS=true cannot work through a transaction pooler",
      );
    } finally {
      await pooled.stop();
    }
  });
});
