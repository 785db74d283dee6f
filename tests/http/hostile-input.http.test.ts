import { beforeAll, describe, expect, it } from "vitest";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { rawRequest } from "../support/raw-http";
import { TEST_WEBHOOK_SECRET, createTestLead } from "../support/webhook-harness";
import { signedInManager } from "../support/manager-session";
import { CookieJar, submitSignInForm } from "../support/sign-in-form";
import { queueUnmatchedBooking } from "../support/staff-harness";
import { type HostileCase, hostileCases, signedInPageCases } from "./hostile-input-corpus";

const UNVERIFIED_CAP = 25;
const app = nextServerForThisFile(() => ({
  WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR: String(UNVERIFIED_CAP),
  LEAD_RATE_LIMIT_PER_10_MINUTES: "1000",
  CRON_SECRET: "hostile-corpus-cron-secret",
}));
let cases: HostileCase[] = [];
let leadsBefore = "";

beforeAll(async () => {
  // A lead with one real booking: the replayed delivery below is that booking's.
  const lead = await createTestLead(app.db);
  const replay = JSON.stringify(makeBookingCreated({ submissionToken: lead.token }));
  const first = await fetch(`${app.server.url}/api/webhooks/cal`, {
    method: "POST",
    body: replay,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(replay, TEST_WEBHOOK_SECRET),
    },
  });
  expect(await first.json()).toEqual({ status: "applied" });
  leadsBefore = JSON.stringify(await app.db.sql`select * from public.leads order by id`);
  cases = hostileCases(replay);
});

describe("a corpus of hostile requests against next start", () => {
  it("has at least 200 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it("answers every case with its documented status, never a server error, and leaves only the traces the rules allow", async () => {
    const { wrong, signedJunkQueued } = await answersOutsideTheirStatus(cases);
    expect(wrong).toEqual([]);

    expect(JSON.stringify(await app.db.sql`select * from public.leads order by id`)).toBe(leadsBefore);
    // Signed junk is queued as unsupported_payload or, when it parses, as invalid_submission_token (its
    // token is forged): one item per queued answer, and no lead touched.
    const [counts] = await app.db.sql<{
      unverified: number;
      unsupported: number;
      leads: number;
      replayed: number;
    }>`
      select
        (select count(*)::int from public.webhook_events where verification = 'unverified') as unverified,
        (select count(*)::int from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
          where e.verification = 'verified') as unsupported,
        (select count(*)::int from public.leads) as leads,
        (select max(delivery_count)::int from public.webhook_events where verification = 'verified' and outcome = 'applied') as replayed`;
    expect(counts.unverified).toBe(UNVERIFIED_CAP);
    expect(counts.unsupported).toBe(signedJunkQueued);
    expect(counts.leads).toBe(1);
    expect(counts.replayed).toBe(1 + cases.filter((c) => c.trace === "repeat").length);
  });

  async function answersOutsideTheirStatus(list: HostileCase[], options: { signedIn?: boolean } = {}) {
    const wrong: string[] = [];
    let signedJunkQueued = 0;
    for (const hostile of list) {
      const response = await rawRequest(app.server.url, hostile.request).catch((error: unknown) => ({
        status: -1,
        body: String(error),
        headers: {},
      }));
      const allowed = Array.isArray(hostile.status) ? hostile.status : [hostile.status];
      if (!allowed.includes(response.status) || response.status >= 500)
        wrong.push(`${hostile.name}: ${response.status} ${response.body.slice(0, 120)}`);
      // A redirect's body may carry the page's <title>; the console's data and controls must never appear.
      if (!options.signedIn && /Count by reason|Sign out|Audit entries/.test(response.body))
        wrong.push(`${hostile.name}: console content served`);
      // Signed junk is queued for staff, or answered `duplicate` when a lenient parse gives it the identity
      // (trigger, uid, createdAt) of an event already stored.
      if (hostile.trace === "unsupported") {
        if (response.body.includes('"queued"')) signedJunkQueued += 1;
        else if (!response.body.includes('"duplicate"')) wrong.push(`${hostile.name}: ${response.body}`);
      }
    }
    return { wrong, signedJunkQueued };
  }

  it("is still serving afterwards, and a slow client does not hold up others", async () => {
    let slowAnswered = false;
    // A body trickled over about two seconds; the quick request must be answered while it is still arriving.
    const slow = rawRequest(app.server.url, {
      method: "POST",
      path: "/api/webhooks/cal",
      headers: { "content-type": "application/json" },
      body: "{".padEnd(4000, " ") + "}",
      chunks: { pieces: 20, delayMs: 100 },
    }).finally(() => (slowAnswered = true));
    const quick = await fetch(`${app.server.url}/api/webhooks/cal`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(quick.status).toBe(401);
    expect(slowAnswered).toBe(false);
    expect((await slow).status).toBe(401);
  });

  it("the sign-in action refuses NUL and control characters with its own message, never a server error", async () => {
    for (const email of ["a\u0000b@team.example", "dana@team.example\u001b[2J", "\u0000"]) {
      const response = await submitSignInForm(app.server.url, new CookieJar(), email, "any password at all");
      expect(response.status, JSON.stringify(email)).toBe(200);
      expect(await response.text()).toContain("Enter your email and password.");
    }
  });

  // Last: it adds a lead and a queued item of its own.
  it("ignores or refuses every hostile search parameter on every console page, signed in: never a server error", async () => {
    const { cookie } = await signedInManager(app.db, "hostile.manager@team.example");
    const lead = await createTestLead(app.db);
    const { failureId } = await queueUnmatchedBooking(app.db, {
      name: "Hostile Probe",
      email: "probe@client.example",
    });
    const pageCases = signedInPageCases(cookie, { lead: lead.id, failure: failureId });
    expect(pageCases.length).toBeGreaterThan(500);
    expect((await answersOutsideTheirStatus(pageCases, { signedIn: true })).wrong).toEqual([]);
  });
});
